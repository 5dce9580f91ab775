import { AutoRefresh } from '@/components/environments/auto-refresh';
import { LogPanel } from '@/components/environments/log-panel';
import { UsageChart } from '@/components/environments/usage-chart';
import { Section } from '@/components/ui/section';
import { serverCaller } from '@/server/caller';
import { followLogsAction } from './observe-actions';
import type { EnvironmentRef } from '../environment-ref';

const MIB = 1024 * 1024;
const LOG_LINES = 200;


/** CPU and memory charts from the sampled container stats, and the log tail with Follow. */
export async function ObserveSection({ environmentRef, running }: { environmentRef: EnvironmentRef; running: boolean }) {
  const caller = await serverCaller();
  const [series, tail] = await Promise.all([
    caller.environments.samples(environmentRef),
    // An engine outage must not take the page down: the panel says so instead.
    caller.environments.logs({ ...environmentRef, lines: LOG_LINES }).catch((err: unknown) => ({
      lines: [], cursor: null, gap: false, note: err instanceof Error ? err.message : 'The log could not be read.',
    })),
  ]);
  const cpu = series.samples.map((s) => ({ at: s.sampledAt, value: s.cpuPercent }));
  const memory = series.samples.map((s) => ({ at: s.sampledAt, value: s.memoryBytes / MIB }));
  const newest = series.samples.at(-1);
  const limitMib = series.memoryLimitBytes ? series.memoryLimitBytes / MIB : null;
  const cpuCeiling = Math.max(100, ...cpu.map((p) => p.value));
  const minutes = Math.round((series.retention.maxAgeMs / 60_000));
  return (
    <>
      <Section title="CPU and memory"
        description={series.note ?? `A sample every ${series.intervalSeconds} s; the last ${series.retention.maxSamples} samples or ${minutes} minutes, whichever is less.`}>
        {/* New samples arrive while the gateway runs: the charts re-render with them (the log panel keeps its state). */}
        <AutoRefresh active={running} everyMs={series.intervalSeconds * 1000} note={null} />
        <div className="flex flex-col gap-6 sm:flex-row">
          <UsageChart id="cpu" title="CPU (% of one CPU)" points={cpu} ceiling={cpuCeiling} ceilingLabel={`${cpuCeiling.toFixed(0)} %`}
            description={newest ? `${cpu.length} samples; latest ${newest.cpuPercent.toFixed(1)} % of one CPU.` : 'No samples yet.'}
            latest={newest ? `${newest.cpuPercent.toFixed(1)} %` : null} />
          <UsageChart id="memory" title="Memory (MiB)" points={memory} ceiling={limitMib ?? Math.max(1, ...memory.map((p) => p.value))}
            ceilingLabel={limitMib ? `limit ${limitMib.toFixed(0)} MiB` : 'no limit reported'}
            description={newest ? `${memory.length} samples; latest ${(newest.memoryBytes / MIB).toFixed(0)} MiB${limitMib ? ` of ${limitMib.toFixed(0)} MiB` : ''}.` : 'No samples yet.'}
            latest={newest ? `${(newest.memoryBytes / MIB).toFixed(0)} MiB${limitMib ? ` / ${limitMib.toFixed(0)} MiB` : ''}` : null} />
        </div>
      </Section>
      <Section title="Log" description={`The last ${LOG_LINES} lines of the gateway's container log, secrets redacted.`}>
        <LogPanel initial={tail} fetchAfter={followLogsAction.bind(null, environmentRef)} />
      </Section>
    </>
  );
}
