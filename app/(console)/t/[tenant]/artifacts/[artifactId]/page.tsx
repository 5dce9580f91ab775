import type { Metadata } from 'next';
import Link from 'next/link';
import { DeleteVersion } from '@/components/artifacts/delete-version';
import { DownloadButton } from '@/components/artifacts/download-button';
import { KIND_LABELS, shortHash } from '@/components/artifacts/labels';
import { MetadataView } from '@/components/artifacts/metadata-view';
import { SourceText } from '@/components/artifacts/source-text';
import { CopyButton } from '@/components/forms/copy-button';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { buttonClass, inputClass, linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { formatBytes } from '@/lib/format/bytes';
import { formatDateTime } from '../../../../_lib/format';
import { deleteVersionAction, downloadLinkAction } from '../actions';
import { loadArtifact, type ArtifactParams } from './load';

export const metadata: Metadata = { title: 'Artifact' };

const statusTone = (s: string) => (s === 'succeeded' ? 'good' : s === 'failed' ? 'bad' : 'info');

export default async function ArtifactPage({ params, searchParams }: {
  params: ArtifactParams; searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant, data, base, siteName } = await loadArtifact(params);
  const { artifact, versions, deployments } = data;
  const wanted = Number((await searchParams).version);
  const selected = versions.find((v) => v.number === wanted) ?? versions[0];
  const canWrite = tenant.can('artifact:write') || (artifact.siteId !== null && tenant.canOnSite('artifact:write', artifact.siteId));
  const deploymentsOf = (versionId: string) => deployments.filter((d) => d.versionId === versionId);
  const place = artifact.siteId ? `site ${siteName ?? ''}`.trim() : 'the shared library';
  return (
    <>
      <PageHeader title={artifact.name}
        description={<>{KIND_LABELS[artifact.kind]} in {place}. <Link className={linkClass} href={base}>All artifacts</Link></>}
        actions={selected && <DownloadButton label={`Download v${selected.number}`} getLink={downloadLinkAction.bind(null, tenant.id, selected.id)} />} />
      <Section title="Versions" description="Each upload is a version; the same bytes uploaded again are stored once.">
        {versions.length === 0 ? <EmptyState title="No versions">Every version was deleted. Upload a file under this name to add one.</EmptyState> : (
          <div className="px-5 py-4">
            <Table label="Versions" headers={['Version', 'Size', 'SHA-256', 'Uploaded by', 'When', 'Source', 'Notes', 'Deployed']}>
              {versions.map((v) => (
                <tr key={v.id} aria-selected={v.id === selected?.id} className={v.id === selected?.id ? 'bg-brand-50' : undefined}>
                  <Td><Link className={linkClass} href={`${base}/${artifact.id}?version=${v.number}`}>v{v.number}</Link></Td>
                  <Td className="whitespace-nowrap">{formatBytes(v.sizeBytes)}</Td>
                  <Td><span className="inline-flex items-center gap-2"><code className="font-mono text-xs" title={v.sha256}>{shortHash(v.sha256)}</code><CopyButton value={v.sha256} label="Copy" /></span></Td>
                  <Td>{v.uploadedBy}</Td>
                  <Td className="whitespace-nowrap text-slate-500">{formatDateTime(v.createdAt)}</Td>
                  <Td><SourceText source={v.source} /></Td>
                  <Td className="max-w-xs truncate" >{v.notes || '—'}</Td>
                  <Td>{deploymentsOf(v.id).length || '—'}</Td>
                </tr>
              ))}
            </Table>
          </div>
        )}
      </Section>
      {selected && (
        <>
          <Section title={`Version ${selected.number}: contents`} description={`${selected.filename}, ${formatBytes(selected.sizeBytes)}, uploaded ${formatDateTime(selected.createdAt)}.`}>
            <MetadataView metadata={selected.metadata} />
          </Section>
          <Section title={`Version ${selected.number}: where it is deployed`}>
            {deploymentsOf(selected.id).length === 0 ? <p className="text-sm text-slate-500">Not deployed to any environment.</p> : (
              <div className="px-5 py-4">
                <Table label="Deployments" headers={['Environment', 'When', 'Who', 'Status']}>
                  {deploymentsOf(selected.id).map((d) => (
                    <tr key={d.id}>
                      <Td>{d.environmentName}</Td>
                      <Td className="whitespace-nowrap text-slate-500">{formatDateTime(d.createdAt)}</Td>
                      <Td>{d.deployedBy}</Td>
                      <Td><Badge tone={statusTone(d.status)}>{d.status}</Badge>{d.error && <span className="ml-2 text-xs text-red-700">{d.error}</span>}</Td>
                    </tr>
                  ))}
                </Table>
              </div>
            )}
          </Section>
        </>
      )}
      {artifact.kind === 'project' && versions.length >= 2 && (
        <Section title="Compare versions">
          <form aria-label="Compare versions" action={`${base}/${artifact.id}/diff`} method="get" className="flex flex-wrap items-end gap-3">
            {(['from', 'to'] as const).map((side) => (
              <label key={side} className="text-sm font-medium text-slate-700">{side === 'from' ? 'From' : 'To'}
                <select name={side} className={inputClass} defaultValue={String(side === 'from' ? versions[1]!.number : versions[0]!.number)}>
                  {versions.map((v) => <option key={v.id} value={v.number}>v{v.number}</option>)}
                </select>
              </label>
            ))}
            <button type="submit" className={buttonClass.secondary}>Compare</button>
          </form>
        </Section>
      )}
      {selected && canWrite && (
        <Section title={`Delete version ${selected.number}`}>
          <DeleteVersion action={deleteVersionAction} tenantId={tenant.id} versionId={selected.id} number={selected.number}
            deployedTo={[...new Set(deploymentsOf(selected.id).map((d) => d.environmentName))]} />
        </Section>
      )}
    </>
  );
}
