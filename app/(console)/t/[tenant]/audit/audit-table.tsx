import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, Td } from '@/components/ui/table';
import { formatDateTime } from '../../../_lib/format';

interface Entry {
  id: number; occurredAt: Date; actorLabel: string; actorType: string; action: string; resourceType: string;
  resourceId: string | null; result: string; sourceIp: string | null; changes: unknown;
}

const TONE = { success: 'good', denied: 'bad', error: 'warn' } as const;

export function AuditTable({ entries }: { entries: Entry[] }) {
  if (entries.length === 0) return <EmptyState title="No entries match">Widen the filters, or clear them to see everything.</EmptyState>;
  return (
    <Table label="Audit entries" headers={['Time', 'Actor', 'Action', 'Resource', 'Result', 'Details']}>
      {entries.map((e) => (
        <tr key={e.id}>
          <Td className="whitespace-nowrap text-slate-500">{formatDateTime(e.occurredAt)}</Td>
          <Td><span className="text-slate-900">{e.actorLabel}</span>{e.actorType !== 'user' && <span className="ml-1 text-xs text-slate-400">({e.actorType})</span>}</Td>
          <Td className="font-mono text-xs">{e.action}</Td>
          <Td>{e.resourceType}{e.resourceId && <span className="block max-w-40 truncate font-mono text-xs text-slate-400" title={e.resourceId}>{e.resourceId}</span>}</Td>
          <Td><Badge tone={TONE[e.result as keyof typeof TONE] ?? 'neutral'}>{e.result}</Badge></Td>
          <Td className="max-w-xs">
            {e.changes != null && <code className="block truncate text-xs text-slate-500" title={JSON.stringify(e.changes)}>{JSON.stringify(e.changes)}</code>}
            {e.sourceIp && <span className="text-xs text-slate-400">from {e.sourceIp}</span>}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
