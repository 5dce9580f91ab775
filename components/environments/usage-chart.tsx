// A small line chart as plain SVG (server-rendered, no chart library): the series over time against a ceiling,
// with an accessible title and description and the latest value as text beside it.

export interface ChartPoint { at: Date; value: number }

const WIDTH = 480;
const HEIGHT = 120;
const PAD = 4;

/** The SVG path of the points, x by time between the first and last point, y from 0 to `ceiling`. */
export function chartPath(points: readonly ChartPoint[], ceiling: number): string {
  if (points.length === 0 || ceiling <= 0) return '';
  const first = points[0]!.at.getTime();
  const span = Math.max(points.at(-1)!.at.getTime() - first, 1);
  const x = (p: ChartPoint) => (points.length === 1 ? WIDTH - PAD : PAD + ((p.at.getTime() - first) / span) * (WIDTH - 2 * PAD));
  const y = (p: ChartPoint) => HEIGHT - PAD - (Math.min(p.value, ceiling) / ceiling) * (HEIGHT - 2 * PAD);
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
}

export function UsageChart({ id, title, description, points, ceiling, ceilingLabel, latest }: {
  /** For test ids and aria references: "cpu", "memory". */
  id: string;
  title: string;
  description: string;
  points: readonly ChartPoint[];
  ceiling: number;
  ceilingLabel: string;
  /** The latest value as a person reads it ("12.5 %"); null without samples. */
  latest: string | null;
}) {
  const titleId = `${id}-chart-title`;
  const descId = `${id}-chart-desc`;
  return (
    <figure className="min-w-0 flex-1" data-testid={`${id}-chart`}>
      <figcaption className="flex items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-slate-700">{title}</span>
        <span className="font-mono text-sm text-slate-900" data-testid={`${id}-latest`}>{latest ?? '—'}</span>
      </figcaption>
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none"
        className="mt-1 h-28 w-full rounded border border-slate-200 bg-slate-50">
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <line x1={0} x2={WIDTH} y1={PAD} y2={PAD} className="stroke-slate-300" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
        <path d={chartPath(points, ceiling)} fill="none" className="stroke-brand-600" strokeWidth={2} vectorEffect="non-scaling-stroke" />
      </svg>
      <p className="mt-0.5 text-right text-xs text-slate-500">dashed line: {ceilingLabel}</p>
    </figure>
  );
}
