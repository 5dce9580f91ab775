import Link from 'next/link';
import { StatusBadge } from '@/components/environments/status-badge';
import { Table, Td } from '@/components/ui/table';
import { linkClass } from '@/components/ui/styles';

export interface DeploymentRow {
  id: string; artifactId: string; artifactName: string; versionNumber: number; status: string; error: string | null; deployedBy: string; when: string;
}

/** What an environment runs and ran: one row per deployment, newest first, failures with their reason. */
export function DeploymentsTable({ rows, artifactHref }: { rows: DeploymentRow[]; artifactHref: (artifactId: string) => string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">Nothing deployed to this gateway yet.</p>;
  return (
    <Table label="Deployments" headers={['Artifact', 'Version', 'Status', 'By', 'When']}>
      {rows.map((d) => (
        <tr key={d.id}>
          <Td><Link className={linkClass} href={artifactHref(d.artifactId)}>{d.artifactName}</Link></Td>
          <Td className="font-mono text-xs">v{d.versionNumber}</Td>
          <Td>
            <StatusBadge status={d.status} />
            {d.error && <p className="mt-1 max-w-md text-xs text-red-700">{d.error}</p>}
          </Td>
          <Td className="text-slate-500">{d.deployedBy}</Td>
          <Td className="whitespace-nowrap text-slate-500">{d.when}</Td>
        </tr>
      ))}
    </Table>
  );
}
