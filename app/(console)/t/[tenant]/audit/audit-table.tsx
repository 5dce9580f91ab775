import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import { formatDate, formatTime } from '../../../_lib/format';

interface Entry {
  id: number; occurredAt: Date; actorLabel: string; actorType: string; action: string; resourceType: string;
  resourceId: string | null; result: string; sourceIp: string | null; changes: unknown;
}

const TONE = { success: 'good', denied: 'bad', error: 'warn' } as const;
// Who acted, when it was not a signed-in person: an invitation is accepted before its account signs in.
const ACTOR_KIND: Record<string, string> = { token: 'API token', anonymous: 'by invitation link', system: 'system' };

export function AuditTable({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <EmptyState title="No entries match">Widen the filters, or clear them to see everything.</EmptyState>;
  return (
    <Table label="Audit entries" headers={['Time', 'Actor', 'Action', 'Resource', 'Result', 'Details']}>
      {entries.map((e) => (
        <tr key={e.id}>
          <Td className="whitespace-nowrap text-slate-500">
            <span className="block text-slate-700">{formatDate(e.occurredAt)}</span>
            <span className="text-xs">{formatTime(e.occurredAt)}</span>
          </Td>
          <Td><span className="text-slate-900">{e.actorLabel}</span>{ACTOR_KIND[e.actorType] && <span className="block text-xs text-slate-400">{ACTOR_KIND[e.actorType]}</span>}</Td>
          <Td className="font-mono text-xs">{e.action}</Td>
          <Td>{e.resourceType}{e.resourceId && <span className="block max-w-28 truncate font-mono text-xs text-slate-400" title={e.resourceId}>{e.resourceId}</span>}</Td>
          <Td><Badge tone={TONE[e.result as keyof typeof TONE] ?? 'neutral'}>{e.result}</Badge></Td>
          <Td>
            <div className="max-w-44">
              {e.changes != null && <code className="block truncate text-xs text-slate-500" title={JSON.stringify(e.changes)}>{JSON.stringify(e.changes)}</code>}
              {e.sourceIp && <span className="text-xs text-slate-400">from {e.sourceIp}</span>}
            </div>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
