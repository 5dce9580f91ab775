// What inspection found in a version, per kind: the facts people look for first, then the detail.
import type { ArtifactMetadata, ProjectMetadata } from '@/lib/artifacts/types';
import { Table, Td } from '@/components/ui/table';

function Facts({ items }: { items: [string, React.ReactNode][] }) {
  return (
    <dl className="grid gap-4 sm:grid-cols-3">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="mt-1 break-words text-sm text-slate-900" data-testid={`fact-${label.toLowerCase().replace(/\W+/g, '-')}`}>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

const yesNo = (v: boolean | null) => (v === null ? '—' : v ? 'yes' : 'no');
const RESOURCE_LIST_LIMIT = 500;

function ProjectView({ m }: { m: ProjectMetadata }) {
  const types = Object.entries(m.counts.byType).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="space-y-5">
      <Facts items={[
        ['Title', m.title], ['Description', m.description || '—'], ['Parent project', m.parent ?? 'none'],
        ['Enabled', yesNo(m.enabled)], ['Inheritable', yesNo(m.inheritable)], ['Resources', m.resources.length],
      ]} />
      {types.length > 0 && (
        <div className="px-5 pb-4">
          <Table label="Resources by module and type" headers={['Module', 'Type', 'Resources']}>
            {types.map(([key, count]) => {
              const slash = key.indexOf('/');
              return (
                <tr key={key}>
                  <Td className="font-mono text-xs">{key.slice(0, slash)}</Td>
                  <Td className="font-mono text-xs">{key.slice(slash + 1)}</Td>
                  <Td>{count}</Td>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
      <details>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">All {m.resources.length} resource paths</summary>
        <ul className="mt-2 max-h-96 overflow-y-auto font-mono text-xs text-slate-700">
          {m.resources.slice(0, RESOURCE_LIST_LIMIT).map((r) => <li key={r.path}>{r.path}</li>)}
          {m.resources.length > RESOURCE_LIST_LIMIT && <li>… and {m.resources.length - RESOURCE_LIST_LIMIT} more</li>}
        </ul>
      </details>
    </div>
  );
}

export function MetadataView({ metadata }: { metadata: unknown }) {
  const m = metadata as ArtifactMetadata | null;
  switch (m?.kind) {
    case 'project': return <ProjectView m={m} />;
    case 'backup': return <Facts items={[
      ['Ignition version', m.version], ['Edition', m.edition ?? '—'], ['Gateway name', m.gatewayName ?? 'not recorded in this backup'],
      ['Redundancy role', m.redundancyRole ?? '—'], ['Projects', m.projects.length ? m.projects.join(', ') : 'none'],
    ]} />;
    case 'module': return <Facts items={[
      ['Module id', <span key="id" className="font-mono text-xs">{m.id}</span>], ['Name', m.name], ['Version', m.version],
      ['Requires Ignition', m.requiredIgnitionVersion ?? '—'], ['Signed', yesNo(m.signed)],
      ['Depends on', m.dependencies.length ? m.dependencies.map((d) => d.moduleId).join(', ') : 'nothing'],
    ]} />;
    case 'jdbc-driver': return <Facts items={[
      ['Driver classes', <span key="classes" className="font-mono text-xs">{m.driverClasses.join(', ') || 'none found'}</span>],
      ['Found through', m.driverClassesFrom === 'service-file' ? 'the java.sql.Driver service file' : 'class names ending in Driver'],
      ['Implementation', [m.implementationTitle, m.implementationVersion].filter(Boolean).join(' ') || '—'],
    ]} />;
    case 'licence': return <Facts items={[['Lines', m.lines], ['Content', 'not shown: licence keys stay in the file']]} />;
    case 'other': return <Facts items={[['Zip entries', m.zipEntries ?? 'not a zip file']]} />;
    default: return <p className="text-sm text-slate-500">Nothing was recorded about this version&apos;s content.</p>;
  }
}
