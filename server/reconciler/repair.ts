/**
 * What to do about an environment's drift under 'repair', and doing it through the GatewayRuntime. Repairs never
 * wait for health (the next check reports an unhealthy gateway) so one slow gateway does not hold up a sweep.
 */
import { isRuntimeError, type GatewayRuntime } from '@/server/runtime';
import type { ActionKind, ActionOutcome, DesiredEnvironment, Drift, DriftKind } from './types';

export interface PlannedAction {
  kind: ActionKind;
  /** Set when the action must not run; says why. */
  skip?: string;
}

const has = (drift: readonly Drift[], ...kinds: DriftKind[]) => drift.some((entry) => kinds.includes(entry.kind));

/** The actions that bring the environment back to its desired state ('unhealthy' and 'unplanned' are report-only). */
export function planRepair(environment: DesiredEnvironment, drift: readonly Drift[]): PlannedAction[] {
  const actions: PlannedAction[] = [];
  switch (environment.desiredState) {
    case 'running':
      // Provision re-creates what is missing or changed and starts the rest; start alone suffices otherwise.
      if (has(drift, 'missing', 'changed')) actions.push({ kind: 'provision' });
      else if (has(drift, 'stopped')) actions.push({ kind: 'start' });
      break;
    case 'stopped':
      if (has(drift, 'running')) actions.push({ kind: 'stop' });
      if (has(drift, 'missing', 'changed')) {
        actions.push({
          kind: 'provision',
          skip: 'not re-created: re-creating starts the gateway and it is desired stopped; it is re-created when the environment is next started',
        });
      }
      break;
    case 'absent':
      if (has(drift, 'present')) actions.push({ kind: 'destroy' });
      break;
  }
  if (environment.jobInProgress) {
    return actions.map((action) => ({ ...action, skip: action.skip ?? 'a job is working on this environment; it is checked again when the job ends' }));
  }
  return actions;
}

export interface RepairSettings {
  /** Seconds a gateway gets to stop before it is killed. */
  stopTimeoutSeconds: number;
}

/** Runs one planned action; a failure is an outcome, not an exception, so the sweep goes on. */
export async function runAction(runtime: GatewayRuntime, environment: DesiredEnvironment, action: PlannedAction, settings: RepairSettings): Promise<ActionOutcome> {
  if (action.skip) return { kind: action.kind, outcome: 'skipped', detail: action.skip, durationMs: 0 };
  const started = performance.now();
  const plan = environment.plan;
  const names = plan.services.map((service) => service.containerName).join(', ');
  try {
    switch (action.kind) {
      case 'provision':
        await runtime.provision(plan, { waitHealthy: false });
        break;
      case 'start':
        await runtime.start(plan, { waitHealthy: false });
        break;
      case 'stop':
        await runtime.stop(plan, { timeoutSeconds: settings.stopTimeoutSeconds });
        break;
      case 'destroy':
        // The data volume stays: deleting data is the operator's choice at teardown, never a repair's.
        await runtime.destroy(plan, { keepVolumes: true, timeoutSeconds: settings.stopTimeoutSeconds });
        break;
    }
    return { kind: action.kind, outcome: 'done', detail: `${PAST[action.kind]} ${names}`, durationMs: performance.now() - started };
  } catch (error) {
    return {
      kind: action.kind,
      outcome: 'failed',
      detail: `could not ${action.kind} ${names}`,
      error: error instanceof Error ? error.message : String(error),
      ...(isRuntimeError(error) ? { errorCode: error.code } : {}),
      durationMs: performance.now() - started,
    };
  }
}

const PAST: Record<ActionKind, string> = { provision: 're-provisioned', start: 'started', stop: 'stopped', destroy: 'removed (data volume kept)' };
