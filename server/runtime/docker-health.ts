/**
 * Waiting for a started container to be ready: healthy when it has a health check, running otherwise. Reads the
 * engine's own health state whenever the engine reports an event of the container (a health status, a death), and
 * every 200 ms besides in case an event is missed; a container that exits (or is being restarted by its policy) fails at once with its
 * last log lines, a slow one fails at the deadline naming the last health check's result. Log text shown to a
 * person has the plan's secret values blotted out.
 */
import type { ContainerCreateBody } from '@/lib/gateway';
import type { Engine } from './docker-engine';
import { decodeLogs } from './docker-logs';
import { runtimeErrors } from './errors';
import { redact } from './secrets';

const POLL_MS = 200;
const LOG_TAIL_LINES = 20;
const NS_PER_MS = 1_000_000;
/** Slack on top of the health check's own budget, for the engine to schedule the checks. */
const SLACK_MS = 5_000;

/** Long enough for the health check to pass within its own start period and retries. */
export function defaultHealthTimeoutMs(check: ContainerCreateBody['Healthcheck']): number {
  if (!check) return SLACK_MS;
  return (check.StartPeriod + (check.Interval + check.Timeout) * (check.Retries + 1)) / NS_PER_MS + SLACK_MS;
}

export async function waitReady(engine: Engine, name: string, options: { timeoutMs: number; secrets: readonly string[] }): Promise<void> {
  const events = await containerEvents(engine, name);
  try {
    await readyLoop(engine, name, options, events.next);
  } finally {
    events.close();
  }
}

/** Resolves `next()` at the container's next engine event, or after `ms`, whichever comes first. */
async function containerEvents(engine: Engine, name: string): Promise<{ next(ms: number): Promise<void>; close(): void }> {
  let wake: (() => void) | null = null;
  // An event between two reads (no one waiting yet) makes the next wait return at once.
  let pending = false;
  const stream = await engine.docker.getEvents({ filters: { type: ['container'], container: [name], event: ['health_status', 'die', 'restart', 'start'] } })
    .catch(() => null); // without events the loop still polls
  stream?.on('data', () => { if (wake) wake(); else pending = true; });
  stream?.on('error', () => { /* polling continues */ });
  return {
    next: (ms) => new Promise<void>((resolve) => {
      if (pending) { pending = false; resolve(); return; }
      const timer = setTimeout(() => { wake = null; resolve(); }, ms);
      wake = () => { clearTimeout(timer); wake = null; resolve(); };
    }),
    close: () => (stream as unknown as { destroy?: () => void } | null)?.destroy?.(),
  };
}

async function readyLoop(engine: Engine, name: string, options: { timeoutMs: number; secrets: readonly string[] }, next: (ms: number) => Promise<void>): Promise<void> {
  const container = engine.docker.getContainer(name);
  const started = Date.now();
  let restarts: number | undefined;
  for (;;) {
    const info = await engine.call(`inspect container ${name}`, () => container.inspect());
    restarts ??= info.RestartCount;
    const state = info.State;
    if (state.Status === 'exited' || state.Status === 'dead' || state.Restarting || info.RestartCount > restarts) {
      // An engine shutting down stops its containers too: that is the engine going away, not the gateway failing.
      await engine.assertAnswering(`confirm that ${name} exited`);
      // Caught between a crash and its automatic restart, a running container reports exit code 0: not its crash.
      throw runtimeErrors.exited(name, state.Running ? null : state.ExitCode, await logTail(engine, name, options.secrets));
    }
    const health = state.Health;
    if (state.Running && (!health || health.Status === 'none' || health.Status === 'healthy')) return;
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) {
      const tail = await logTail(engine, name, options.secrets);
      throw runtimeErrors.healthTimeout(name, waited, redact(describeLastCheck(health), options.secrets), tail);
    }
    await next(POLL_MS);
  }
}

function describeLastCheck(health: { Status: string; Log?: { ExitCode: number; Output: string }[] | null } | undefined): string {
  const last = health?.Log?.at(-1);
  if (!last) return 'none has run yet (the first runs one interval after start)';
  const output = last.Output.trim().replace(/\s+/g, ' ').slice(0, 300);
  return `status ${health!.Status}, exit code ${last.ExitCode}, ${output ? `output "${output}"` : 'no output'}`;
}

/** The container's last log lines, secrets redacted; empty when the log cannot be read. */
export async function logTail(engine: Engine, name: string, secrets: readonly string[]): Promise<string[]> {
  try {
    const raw = await engine.docker.getContainer(name).logs({ stdout: true, stderr: true, tail: LOG_TAIL_LINES, follow: false });
    return decodeLogs(raw).map((line) => redact(line.text, secrets));
  } catch {
    return [];
  }
}
