import { Table, Td } from '@/components/ui/table';
import { stepDuration } from './spec';
import { StatusBadge } from './status-badge';

export interface JobView {
  number: number; kind: string; status: string; error: string | null; createdAt: Date; finishedAt: Date | null;
  steps: { name: string; status: string; startedAt: string; finishedAt: string | null; detail: string }[];
}

/** One job's steps as they were written, with how long each took. */
export function JobSteps({ job }: { job: JobView }) {
  return (
    <>
      {job.error && <p role="alert" className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{job.error}</p>}
      {job.steps.length === 0 ? <p className="text-sm text-slate-500">Waiting for a worker to pick the job up…</p> : (
        <Table label={`Steps of job ${job.number}`} headers={['Step', 'Status', 'Duration', 'Detail']}>
          {job.steps.map((s, i) => (
            <tr key={`${s.name}-${i}`}>
              <Td className="font-medium text-slate-900">{s.name}</Td>
              <Td><StatusBadge status={s.status} /></Td>
              <Td className="whitespace-nowrap text-slate-500">{stepDuration(s.startedAt, s.finishedAt)}</Td>
              <Td className="text-slate-500">{s.detail}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
