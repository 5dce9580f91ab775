import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { apiReference, type OperationDoc } from '@/server/http/api-reference';
import { openApiDocument, publicOrigin } from '@/server/http/openapi';
import { REST_PREFIX } from '@/server/http/rest-routes';

// The readable API reference, generated from the same OpenAPI document that /api/openapi.json serves. Public.
export const metadata: Metadata = { title: 'API reference' };

const METHOD_COLOURS: Record<string, string> = {
  GET: 'bg-emerald-100 text-emerald-800', POST: 'bg-sky-100 text-sky-800', PUT: 'bg-amber-100 text-amber-800',
  PATCH: 'bg-violet-100 text-violet-800', DELETE: 'bg-rose-100 text-rose-800',
};

function Operation({ op }: { op: OperationDoc }) {
  return (
    <section id={op.operationId} className="rounded-lg border border-slate-200 bg-white p-4">
      <h3 className="flex flex-wrap items-center gap-2 font-mono text-sm">
        <span className={`rounded px-2 py-0.5 font-semibold ${METHOD_COLOURS[op.method] ?? 'bg-slate-100'}`}>{op.method}</span>
        <span>{REST_PREFIX}{op.path}</span>
      </h3>
      {op.summary && <p className="mt-2 text-sm text-slate-700">{op.summary}</p>}
      {op.fields.length > 0 && (
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr><th className="py-1 pr-4">Field</th><th className="py-1 pr-4">In</th><th className="py-1 pr-4">Type</th><th className="py-1">Required</th></tr>
          </thead>
          <tbody>
            {op.fields.map((f) => (
              <tr key={`${f.where}:${f.name}`} className="border-t border-slate-100">
                <td className="py-1 pr-4 font-mono">{f.name}</td>
                <td className="py-1 pr-4">{f.where}</td>
                <td className="py-1 pr-4">{f.type}{f.description ? ` — ${f.description}` : ''}</td>
                <td className="py-1">{f.required ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export default async function ApiReferencePage() {
  const host = (await headers()).get('host') ?? 'localhost';
  const origin = publicOrigin(`http://${host}`);
  const tags = apiReference(await openApiDocument(origin));
  return (
    <main className="mx-auto max-w-4xl px-6 py-10">
      <h1 className="text-3xl font-semibold">Switchyard API reference</h1>
      <p className="mt-3 text-slate-700">
        Every route below lives under <code className="font-mono">{origin}{REST_PREFIX}</code>. The machine-readable
        OpenAPI 3.1 document is at <a className="text-brand-600 underline" href="/api/openapi.json">/api/openapi.json</a>.
      </p>
      <h2 className="mt-8 text-xl font-semibold">Authentication</h2>
      <p className="mt-2 text-slate-700">
        Send an API token as a bearer token. A tenant admin creates tokens in the console (Tokens) with a role; the
        secret is shown once. Errors always have the shape{' '}
        <code className="font-mono">{'{"error": {"code", "message", "requestId", "fieldErrors"?}}'}</code>; quote the
        request id (also the <code className="font-mono">x-request-id</code> header) when reporting a problem.
      </p>
      <pre className="mt-3 overflow-x-auto rounded-lg bg-slate-900 p-4 text-sm text-slate-100">
        {`curl -H "Authorization: Bearer $SWITCHYARD_TOKEN" \\\n  ${origin}${REST_PREFIX}/tenants/$TENANT_ID/sites`}
      </pre>
      <h2 className="mt-8 text-xl font-semibold">Operations endpoints</h2>
      <ul className="mt-2 list-disc space-y-1 pl-6 text-slate-700">
        <li><code className="font-mono">GET /api/health</code>: liveness, 200 while the process answers.</li>
        <li><code className="font-mono">GET /api/ready</code>: 200 when the database answers and its migrations match this build, else 503 with the reason.</li>
        <li>
          <code className="font-mono">GET /api/metrics</code>: Prometheus text format. Set <code className="font-mono">METRICS_TOKEN</code> and
          scrape with <code className="font-mono">Authorization: Bearer &lt;METRICS_TOKEN&gt;</code>; without it, only this machine (loopback) may read it.
        </li>
      </ul>
      <nav className="mt-8 flex flex-wrap gap-2 text-sm">
        {tags.map((t) => <a key={t.name} href={`#tag-${t.name}`} className="rounded border border-slate-200 bg-white px-2 py-1">{t.name}</a>)}
      </nav>
      {tags.map((t) => (
        <div key={t.name} id={`tag-${t.name}`} className="mt-10">
          <h2 className="text-xl font-semibold capitalize">{t.name}</h2>
          <div className="mt-3 space-y-3">
            {t.operations.map((op) => <Operation key={op.operationId} op={op} />)}
          </div>
        </div>
      ))}
    </main>
  );
}
