import { Table, Td } from '@/components/ui/table';

export interface BackupRow { id: string; number: number; size: string; gateway: string; by: string; when: string; deployed: boolean }

/** The versions of an environment's backup artifact, newest first. */
export function BackupsTable({ rows }: { rows: BackupRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No backups yet. Back up now, or set a schedule.</p>;
  return (
    <Table label="Backups" headers={['Version', 'Gateway', 'Size', 'By', 'When', '']}>
      {rows.map((b) => (
        <tr key={b.id}>
          <Td className="font-mono text-xs">v{b.number}</Td>
          <Td>{b.gateway}</Td>
          <Td className="whitespace-nowrap">{b.size}</Td>
          <Td className="text-slate-500">{b.by}</Td>
          <Td className="whitespace-nowrap text-slate-500">{b.when}</Td>
          <Td className="text-xs text-slate-500">{b.deployed ? 'restored (kept by retention)' : ''}</Td>
        </tr>
      ))}
    </Table>
  );
}
