/**
 * Waiting for a started container to be ready: healthy when it has a health check, running otherwise. Polls the
 * engine's own health state; a container that exits (or is being restarted by its policy) fails at once with its
 * last log lines, a slow one fails at the deadline naming the last health check's result. Log text shown to a
 * person has the plan's secret values blotted out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
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
    await sleep(POLL_MS);
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
