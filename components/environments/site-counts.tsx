import Link from 'next/link';
import { Table, Td } from '@/components/ui/table';
import { linkClass } from '@/components/ui/styles';
import { STAGES } from './spec';
import { StatusBadge } from './status-badge';

export interface SiteEnvironments { name: string; href: string; environments: { status: string; stage: string }[] }

function countBy<T>(items: T[], key: (item: T) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Per site: how many environments, in which states and stages. */
export function SiteEnvironmentCounts({ sites }: { sites: SiteEnvironments[] }) {
  return (
    <Table label="Environments by site" headers={['Site', 'Environments', 'By status', ...STAGES]}>
      {sites.map((s) => {
        const stages = new Map(countBy(s.environments, (e) => e.stage));
        return (
          <tr key={s.href}>
            <Td><Link className={linkClass} href={s.href}>{s.name}</Link></Td>
            <Td>{s.environments.length}</Td>
            <Td>
              <span className="flex flex-wrap gap-2">
                {countBy(s.environments, (e) => e.status).map(([status, n]) => <span key={status} className="inline-flex items-center gap-1">{n} <StatusBadge status={status} /></span>)}
              </span>
            </Td>
            {STAGES.map((stage) => <Td key={stage}>{stages.get(stage) ?? 0}</Td>)}
          </tr>
        );
      })}
    </Table>
  );
}
