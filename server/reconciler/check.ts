/**
 * One check: read the desired environments and the engine's Switchyard containers (all, or one owner's), compare,
 * repair what the policy allows, and report. One environment's failure is recorded on its own report and the
 * check goes on; only an unreadable engine or desired state fails the whole check (report.error).
 */
import type { GatewayRuntime, ManagedContainer } from '@/server/runtime';
import type { Engine } from '@/server/runtime/docker-engine';
import { assign, environmentOwner, findDrift, invalidEnvironment, isReady, ownerKey, ownerOf } from './compare';
import { DriftProbe } from './docker-probe';
import { planRepair, runAction, type RepairSettings } from './repair';
import type { RepairBackoff } from './repair-backoff';
import type { DesiredEnvironment, EnvironmentReport, Orphan, Policy, SweepCounts, SweepReport } from './types';

export interface CheckDependencies {
  runtime: GatewayRuntime;
  engine: Engine;
  desired: () => Promise<DesiredEnvironment[]>;
  policyFor: (environment: DesiredEnvironment) => Policy;
  backoff: RepairBackoff;
  settings: RepairSettings;
  /** Containers inspected at once while comparing. */
  concurrency: number;
}

export async function runCheck(deps: CheckDependencies, scope: Record<string, string> | null): Promise<SweepReport> {
  const startedAt = new Date();
  const started = performance.now();
  const finish = (environments: EnvironmentReport[], orphans: Orphan[], error?: string): SweepReport => ({
    trigger: scope ? 'event' : 'sweep',
    scope,
    startedAt,
    durationMs: performance.now() - started,
    environments,
    orphans,
    counts: countsOf(environments, orphans),
    ...(error ? { error } : {}),
  });

  let environments: DesiredEnvironment[];
  let containers: ManagedContainer[];
  try {
    [environments, containers] = await Promise.all([deps.desired(), deps.runtime.listManaged(scope ?? {})]);
  } catch (error) {
    return finish([], [], `nothing was compared: ${message(error)}`);
  }
  if (scope) environments = environments.filter((environment) => ownerKey(environmentOwner(environment)) === ownerKey(scope));

  const valid = environments.filter((environment) => invalidEnvironment(environment) === null);
  const { owned, orphans } = assign(valid, containers);
  const probe = new DriftProbe(deps.engine);
  const compared = await mapLimit(environments, deps.concurrency, (environment) => compare(environment, owned.get(environment.environmentId) ?? [], probe, deps));
  // Repairs one at a time: they change the engine, and two of one site share a network.
  for (const [index, report] of compared.entries()) {
    const environment = environments[index]!;
    if (report.policy === 'repair' && !report.error) report.actions = await repair(environment, report, deps);
  }
  return finish(compared, orphans.map(toOrphan));
}

async function compare(environment: DesiredEnvironment, containers: ManagedContainer[], probe: DriftProbe, deps: CheckDependencies): Promise<EnvironmentReport> {
  const { environmentId, tenant, site, desiredState } = environment;
  const report: EnvironmentReport = { environmentId, tenant, site, desiredState, policy: environment.policy, drift: [], actions: [], ready: false };
  const invalid = invalidEnvironment(environment);
  if (invalid) return { ...report, error: `environment ${environmentId} was not compared: ${invalid}` };
  try {
    report.policy = deps.policyFor(environment);
    const changed = desiredState === 'absent' ? new Map<string, string[]>() : await probe.changed(environment.plan, containers);
    report.drift = findDrift(environment, containers, changed);
    report.ready = isReady(environment, containers, report.drift);
  } catch (error) {
    report.error = `environment ${environmentId} was not compared: ${message(error)}`;
  }
  return report;
}

async function repair(environment: DesiredEnvironment, report: EnvironmentReport, deps: CheckDependencies) {
  const planned = planRepair(environment, report.drift);
  if (planned.length === 0) return [];
  const waitMs = deps.backoff.remaining(environment.environmentId);
  if (waitMs > 0) {
    const skip = `repaired moments ago and drifted again; next attempt in ${Math.ceil(waitMs / 1000)} s`;
    return planned.map((action) => ({ kind: action.kind, outcome: 'skipped' as const, detail: action.skip ?? skip, durationMs: 0 }));
  }
  const outcomes = [];
  for (const action of planned) outcomes.push(await runAction(deps.runtime, environment, action, deps.settings));
  if (outcomes.some((outcome) => outcome.outcome !== 'skipped')) deps.backoff.record(environment.environmentId);
  return outcomes;
}

function toOrphan(container: ManagedContainer): Orphan {
  return { id: container.id, name: container.name, state: container.state, owner: ownerOf(container.labels), createdAt: container.createdAt };
}

function countsOf(environments: readonly EnvironmentReport[], orphans: readonly Orphan[]): SweepCounts {
  const actions = environments.flatMap((environment) => environment.actions);
  return {
    environments: environments.length,
    drifted: environments.filter((environment) => environment.drift.length > 0).length,
    drift: environments.reduce((sum, environment) => sum + environment.drift.length, 0),
    orphans: orphans.length,
    actionsDone: actions.filter((action) => action.outcome === 'done').length,
    actionsFailed: actions.filter((action) => action.outcome === 'failed').length,
    errors: environments.filter((environment) => environment.error !== undefined).length,
  };
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs `work` over the items with at most `limit` at once, answering in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
