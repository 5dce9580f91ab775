import type { Metadata } from 'next';
import Link from 'next/link';
import { KIND_LABELS } from '@/components/artifacts/labels';
import { UploadPanel } from '@/components/artifacts/upload-panel';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { ARTIFACT_KINDS, isArtifactKind } from '@/lib/artifacts/kinds';
import { formatBytes } from '@/lib/format/bytes';
import { serverCaller } from '@/server/caller';
import { formatDateTime } from '../../../_lib/format';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';

export const metadata: Metadata = { title: 'Artifacts' };

function KindFilter({ base, current }: { base: string; current: string | undefined }) {
  const choices = [{ value: undefined, label: 'All' }, ...ARTIFACT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))];
  return (
    <nav aria-label="Filter by kind" className="mb-4 flex flex-wrap gap-2">
      {choices.map((c) => (
        <Link key={c.label} href={c.value ? `${base}?kind=${c.value}` : base} aria-current={c.value === current ? 'page' : undefined}
          className={`rounded-full px-3 py-1 text-sm ring-1 ring-inset ${c.value === current ? 'bg-brand-600 text-white ring-brand-600' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}>
          {c.label}
        </Link>
      ))}
    </nav>
  );
}

export default async function ArtifactsPage({ params, searchParams }: {
  params: TenantParams; searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const tenant = await loadTenant((await params).tenant);
  const { kind: rawKind } = await searchParams;
  const kind = isArtifactKind(rawKind) ? rawKind : undefined;
  const caller = await serverCaller();
  const base = `/t/${tenant.slug}/artifacts`;
  const [artifacts, sites, usage] = await Promise.all([
    caller.artifacts.list({ tenantId: tenant.id, kind }),
    caller.sites.list({ tenantId: tenant.id }),
    tenant.can('artifact:read') ? caller.artifacts.usage({ tenantId: tenant.id }) : null,
  ]);
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const writableSites = sites.filter((s) => tenant.canOnSite('artifact:write', s.id)).map((s) => ({ id: s.id, name: s.name }));
  const canUpload = tenant.can('artifact:write') || writableSites.length > 0;
  return (
    <>
      <PageHeader title="Artifacts" description="Project exports, gateway backups, modules, JDBC drivers and licences: each stored once, versioned, and traceable to where it came from and where it runs."
        actions={usage && (
          <p className="text-right text-sm text-slate-600" data-testid="storage-used">
            <span className="block text-xs uppercase tracking-wide text-slate-500">Storage used</span>
            <span className="text-lg font-semibold text-slate-900">{formatBytes(usage.bytes)}</span> of {formatBytes(usage.limitBytes)}, in {usage.versions} version{usage.versions === 1 ? '' : 's'}
            <span className="mt-1 block h-1.5 w-48 overflow-hidden rounded bg-slate-200" role="meter" aria-label="Storage used of the limit"
              aria-valuemin={0} aria-valuemax={usage.limitBytes} aria-valuenow={usage.bytes}>
              <span className={`block h-full ${usage.bytes > usage.limitBytes * 0.9 ? 'bg-amber-500' : 'bg-brand-600'}`} style={{ width: `${Math.min(100, (usage.bytes / Math.max(usage.limitBytes, 1)) * 100)}%` }} />
            </span>
          </p>
        )} />
      <Section>
        <KindFilter base={base} current={kind} />
        {artifacts.length === 0 ? (
          <EmptyState title={kind ? `No ${KIND_LABELS[kind].toLowerCase()} artifacts` : 'No artifacts yet'}>
            {canUpload ? 'Upload a file below, or push one from CI (see the docs on artifacts).' : 'Nothing has been uploaded here that you can see.'}
          </EmptyState>
        ) : (
          <div className="px-5 py-4">
            <Table label="Artifacts" headers={['Name', 'Kind', 'Site', 'Latest version', 'Size', 'Updated']}>
              {artifacts.map((a) => (
                <tr key={a.id}>
                  <Td><Link className={linkClass} href={`${base}/${a.id}`}>{a.name}</Link></Td>
                  <Td>{KIND_LABELS[a.kind]}</Td>
                  <Td>{a.siteId ? siteName.get(a.siteId) ?? 'a site' : <span className="text-slate-500">shared library</span>}</Td>
                  <Td>{a.latestVersion ? `v${a.latestVersion.number}` : '—'}<span className="text-slate-500"> ({a.versionCount} in all)</span></Td>
                  <Td className="whitespace-nowrap">{a.latestVersion ? formatBytes(a.latestVersion.sizeBytes) : '—'}</Td>
                  <Td className="whitespace-nowrap text-slate-500">{formatDateTime(a.updatedAt)}</Td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Section>
      {canUpload && (
        <Section title="Upload" description={<>The file is checked before it is kept: a refused file leaves nothing behind. From CI, send the same request with <code>curl -T</code> and an API token.</>}>
          <UploadPanel tenantId={tenant.id} tenantSlug={tenant.slug} sites={writableSites} tenantLibrary={tenant.can('artifact:write')} />
        </Section>
      )}
    </>
  );
}
