import Link from 'next/link';
import { Table, Td } from '@/components/ui/table';
import { linkClass } from '@/components/ui/styles';
import { summarizeSpec } from './spec';
import { StatusBadge } from './status-badge';

export interface EnvironmentRow {
  name: string; stage: string; status: string; spec: unknown; httpPort: number | null; ports: Record<string, number>;
  latestJob: { number: number; kind: string; status: string } | null;
}

/** The site's environments, each linking to its page. */
export function EnvironmentsTable({ environments, basePath }: { environments: EnvironmentRow[]; basePath: string }) {
  return (
    <Table label="Environments" headers={['Name', 'Stage', 'Status', 'Version', 'Memory', 'Port', 'Latest job']}>
      {environments.map((e) => {
        const spec = summarizeSpec(e.spec);
        return (
          <tr key={e.name}>
            <Td>
              <Link className={linkClass} href={`${basePath}/${encodeURIComponent(e.name)}`}>{e.name}</Link>
              {spec.members.length > 0 && <span className="ml-2 text-xs text-slate-500" title={spec.members.map((m) => m.name).join(', ')}>stack of {spec.members.length}</span>}
            </Td>
            <Td>{e.stage}</Td>
            <Td><StatusBadge status={e.status} /></Td>
            <Td className="font-mono text-xs">{spec.version} <span className="font-sans text-slate-500">{spec.edition}</span></Td>
            <Td>{spec.members.length > 0 ? spec.members.map((m) => m.memory).join(' + ') : spec.memory}</Td>
            <Td className="font-mono text-xs">{Object.keys(e.ports).length > 1 ? Object.values(e.ports).join(', ') : e.httpPort ?? '—'}</Td>
            <Td>{e.latestJob ? <span className="inline-flex items-center gap-2">#{e.latestJob.number} {e.latestJob.kind} <StatusBadge status={e.latestJob.status} /></span> : '—'}</Td>
          </tr>
        );
      })}
    </Table>
  );
}
