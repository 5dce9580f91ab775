// A project diff as people read it: counts with a bar first, then each resource with a colour and a word.
import { Badge } from '@/components/ui/badge';

export interface DiffCounts { added: number; removed: number; changed: number; unchanged: number }

const PARTS = [
  { key: 'added', label: 'added', colour: 'bg-emerald-500', tone: 'good' },
  { key: 'removed', label: 'removed', colour: 'bg-red-500', tone: 'bad' },
  { key: 'changed', label: 'changed', colour: 'bg-amber-400', tone: 'warn' },
  { key: 'unchanged', label: 'unchanged', colour: 'bg-slate-200', tone: 'neutral' },
] as const;

/** One stacked bar of the four counts; its text alternative carries the numbers. */
export function DiffBar({ counts }: { counts: DiffCounts }) {
  const total = counts.added + counts.removed + counts.changed + counts.unchanged;
  const summary = PARTS.map((p) => `${counts[p.key]} ${p.label}`).join(', ');
  return (
    <div className="space-y-2">
      <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm" data-testid="diff-counts">
        {PARTS.map((p) => (
          <span key={p.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-sm ${p.colour}`} />
            <strong className="font-semibold text-slate-900">{counts[p.key]}</strong> {p.label}
          </span>
        ))}
      </p>
      <div role="img" aria-label={`Resources: ${summary}`} className="flex h-3 w-full overflow-hidden rounded-full bg-slate-100">
        {total > 0 && PARTS.map((p) => counts[p.key] > 0 && (
          <div key={p.key} className={p.colour} style={{ width: `${(counts[p.key] / total) * 100}%` }} />
        ))}
      </div>
    </div>
  );
}

/** Resource paths with their change, added first, then removed, then changed. */
export function DiffList({ added, removed, changed }: { added: string[]; removed: string[]; changed: string[] }) {
  const rows = [
    ...added.map((path) => ({ path, part: PARTS[0] })),
    ...removed.map((path) => ({ path, part: PARTS[1] })),
    ...changed.map((path) => ({ path, part: PARTS[2] })),
  ];
  if (rows.length === 0) return <p className="text-sm text-slate-500">No resource was added, removed or changed.</p>;
  return (
    <ul aria-label="Changed resources" className="divide-y divide-slate-100">
      {rows.map(({ path, part }) => (
        <li key={`${part.key}:${path}`} className={`flex items-center gap-3 border-l-4 py-1.5 pl-3 ${borderOf[part.key]}`}>
          <Badge tone={part.tone}>{part.label}</Badge>
          <span className="break-all font-mono text-xs text-slate-800">{path}</span>
        </li>
      ))}
    </ul>
  );
}

const borderOf = { added: 'border-l-emerald-500', removed: 'border-l-red-500', changed: 'border-l-amber-400', unchanged: 'border-l-slate-200' } as const;
