// The stats sampler: every interval, one CPU and memory sample per environment whose containers run, written to
// environment_samples for the console's charts and pruned to a bounded window. Started beside the worker (startJobs).
import { withTenant, type Db } from '@/db/client';
import { logger } from '@/server/logger';
import { startPeriodic } from './periodic';
import { loadDesiredEnvironments, type StoredDesiredEnvironment } from '@/server/reconciler/desired-from-db';
import { isRuntimeError, type GatewayRuntime, type StatsSample } from '@/server/runtime';
import { DEFAULT_RETENTION, pruneSamples, recordSample, type SampleRetention } from '@/server/services/environment-samples';

export interface SamplerOptions {
  db: Db;
  runtime: GatewayRuntime;
  intervalSeconds: number;
  retention?: SampleRetention;
  /** Only these tenants' environments (default: all), for suites sharing a database. */
  onlyTenants?: readonly string[];
}

export interface TickReport {
  /** Environment ids sampled in this tick. */
  sampled: string[];
  /** Samples removed by the age limit over tenants' whole series. */
  pruned: number;
  /** Set when the engine did not answer: nothing was sampled. */
  engineError: string | null;
}

export interface Sampler {
  /** One pass now (the timer's passes never overlap with it: both go through the same chain). */
  tick(): Promise<TickReport>;
  stop(): Promise<void>;
}

const PARALLEL_STATS = 4;

export function startSampler(options: SamplerOptions): Sampler {
  const retention = options.retention ?? DEFAULT_RETENTION;
  let engineDown = false;
  const pass = async (): Promise<TickReport> => {
    const report = await sampleOnce(options, retention);
    // An outage is logged when it begins and when it ends, not on every tick.
    if (report.engineError && !engineDown) logger.warn({ reason: report.engineError }, 'sampler: the container engine does not answer; no stats are sampled until it does');
    if (!report.engineError && engineDown) logger.info('sampler: the container engine answers again; sampling resumed');
    engineDown = report.engineError !== null;
    return report;
  };
  return startPeriodic({ name: 'sampler', intervalSeconds: options.intervalSeconds, pass, runAtStart: true });
}

/** One pass: which containers run (one engine call), their stats, a row per environment, then pruning. */
export async function sampleOnce(options: Pick<SamplerOptions, 'db' | 'runtime' | 'onlyTenants'>, retention: SampleRetention = DEFAULT_RETENTION): Promise<TickReport> {
  const report: TickReport = { sampled: [], pruned: 0, engineError: null };
  let running: Set<string>;
  try {
    running = new Set((await options.runtime.listManaged()).filter((c) => c.state === 'running').map((c) => c.name));
  } catch (error) {
    if (!isRuntimeError(error, 'ENGINE_UNREACHABLE')) throw error;
    return { ...report, engineError: error.message };
  }
  const desired = await loadDesiredEnvironments(options.db, options.onlyTenants);
  // The engine takes about a second per stats answer (it waits for a second CPU reading): a few at a time.
  const queue = desired.filter((environment) => environment.plan.services.some((s) => running.has(s.containerName)));
  const lane = async () => {
    for (let environment = queue.shift(); environment && !report.engineError; environment = queue.shift()) {
      const outcome = await sampleEnvironment(options, environment, running, retention);
      if (outcome === 'sampled') report.sampled.push(environment.environmentId);
      else if (outcome !== 'skipped') report.engineError = outcome.engineError;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_STATS }, lane));
  if (report.engineError) return report;
  for (const tenantId of tenantsOf(desired)) {
    report.pruned += await withTenant(options.db, tenantId, (tx) => pruneSamples(tx, { tenantId, retention }));
  }
  return report;
}

async function sampleEnvironment(
  options: Pick<SamplerOptions, 'db' | 'runtime'>, environment: StoredDesiredEnvironment, running: ReadonlySet<string>, retention: SampleRetention,
): Promise<'sampled' | 'skipped' | { engineError: string }> {
  try {
    const sample = await environmentStats(options.runtime, environment.plan.services.map((s) => s.containerName).filter((name) => running.has(name)));
    // A container that stopped or vanished since the listing is skipped silently, like one that never ran.
    if (!sample) return 'skipped';
    await recordSample(options.db, { tenantId: environment.tenantId, environmentId: environment.environmentId, sample, retention });
    return 'sampled';
  } catch (error) {
    if (isRuntimeError(error, 'ENGINE_UNREACHABLE')) return { engineError: error.message };
    // One environment's failure (its row deleted meanwhile, say) must not stop the others' samples.
    logger.warn({ environmentId: environment.environmentId, reason: error instanceof Error ? error.message : String(error) }, 'sampler: sampling an environment failed');
    return 'skipped';
  }
}

/** The environment's containers summed (a stack has several); null when none of them could be read. */
async function environmentStats(runtime: GatewayRuntime, names: string[]): Promise<StatsSample | null> {
  const samples: StatsSample[] = [];
  for (const name of names) {
    try {
      samples.push(await runtime.stats(name));
    } catch (error) {
      if (!isRuntimeError(error, 'NOT_FOUND')) throw error;
    }
  }
  if (samples.length === 0) return null;
  return {
    sampledAt: new Date(),
    cpuPercent: Math.round(samples.reduce((sum, s) => sum + s.cpuPercent, 0) * 100) / 100,
    memoryUsedBytes: samples.reduce((sum, s) => sum + s.memoryUsedBytes, 0),
    memoryLimitBytes: samples.reduce((sum, s) => sum + s.memoryLimitBytes, 0),
  };
}

const tenantsOf = (desired: readonly StoredDesiredEnvironment[]) => [...new Set(desired.map((e) => e.tenantId))];
