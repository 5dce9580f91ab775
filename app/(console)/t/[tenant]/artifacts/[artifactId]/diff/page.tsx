import type { Metadata } from 'next';
import Link from 'next/link';
import { DiffBar, DiffList } from '@/components/artifacts/diff-view';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { explainError } from '../../../../../_lib/run-action';
import { loadArtifact, type ArtifactParams } from '../load';

export const metadata: Metadata = { title: 'Compare versions' };

const shown = (v: unknown) => (v === null || v === undefined || v === '' ? '(empty)' : String(v));

export default async function DiffPage({ params, searchParams }: {
  params: ArtifactParams; searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant, data, base, caller } = await loadArtifact(params);
  const { artifact, versions } = data;
  const query = await searchParams;
  const back = `${base}/${artifact.id}`;
  // Versions are named by number in the address (readable, shareable); the API takes their ids.
  const from = versions.find((v) => v.number === Number(query.from));
  const to = versions.find((v) => v.number === Number(query.to));
  const header = <PageHeader title={`${artifact.name}: compare versions`} description={<Link className={linkClass} href={back}>Back to {artifact.name}</Link>} />;
  if (!from || !to) {
    return <>{header}<Section><p role="alert" className="text-sm text-red-800">Choose two versions of {artifact.name} that exist (from and to); this artifact has {versions.map((v) => `v${v.number}`).join(', ') || 'no versions'}.</p></Section></>;
  }
  let result;
  try {
    result = await caller.artifacts.diff({ tenantId: tenant.id, artifactId: artifact.id, fromVersionId: from.id, toVersionId: to.id });
  } catch (err) {
    const explained = explainError(err);
    const message = Object.values(explained.fieldErrors ?? {}).flat().join(' ') || explained.message;
    return <>{header}<Section><p role="alert" className="text-sm text-red-800">{message}</p></Section></>;
  }
  const { diff } = result;
  return (
    <>
      {header}
      <Section title={`v${from.number} → v${to.number}`} description="Resources compared by path and by a hash over their files.">
        <DiffBar counts={{ added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, unchanged: diff.unchanged }} />
      </Section>
      <Section title="Resources">
        <DiffList added={diff.added} removed={diff.removed} changed={diff.changed} />
      </Section>
      <Section title="project.json">
        {diff.fields.length === 0 ? <p className="text-sm text-slate-500">No project.json field changed.</p> : (
          <div className="px-5 py-4">
            <Table label="project.json changes" headers={['Field', `v${from.number}`, `v${to.number}`]}>
              {diff.fields.map((f) => (
                <tr key={f.field}>
                  <Td className="font-mono text-xs">{f.field}</Td>
                  <Td className="text-red-800"><span className="sr-only">was </span>{shown(f.from)}</Td>
                  <Td className="text-emerald-800"><span className="sr-only">now </span>{shown(f.to)}</Td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Section>
    </>
  );
}
