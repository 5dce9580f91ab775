/**
 * The reconciler's vocabulary: what an environment should be (DesiredEnvironment, given by the caller, usually
 * read from the database), what differs (Drift), what was done about it (ActionOutcome), and the report of one
 * check (SweepReport), whose counts are plain numbers for metrics.
 */
import type { StackPlan } from '@/lib/gateway';
import type { ContainerState } from '@/server/runtime';

export type DesiredState = 'running' | 'stopped' | 'absent';
/** `repair` brings the engine back to the desired state; `report` only says what differs. */
export type Policy = 'repair' | 'report';

export interface DesiredEnvironment {
  environmentId: string;
  tenant: string;
  site: string;
  plan: StackPlan;
  desiredState: DesiredState;
  policy: Policy;
  /** A job (provision, change, teardown...) is working on it: drift is reported, never repaired, meanwhile. */
  jobInProgress?: boolean;
}

export type DriftKind =
  /** Planned, desired running or stopped, and not on the engine. */
  | 'missing'
  /** Desired running, and not running (created, exited, dead or paused). */
  | 'stopped'
  /** Desired stopped, and running (or restarting, or paused). */
  | 'running'
  /** Its settings differ from the plan (`fields` names them): changed outside Switchyard. */
  | 'changed'
  /** Running with a failing health check, or restarting in a loop. */
  | 'unhealthy'
  /** Desired absent, and still on the engine. */
  | 'present'
  /** Carries the environment's owner labels, but the plan has no container of that name (e.g. a set-aside one). */
  | 'unplanned';

export interface Drift {
  kind: DriftKind;
  container: string;
  /** The engine's state of the container; null when it is missing. */
  state: ContainerState | null;
  /** For `changed`: the settings that differ (driftFields: memory, env, image, ...). */
  fields?: string[];
  /** For a person: "sy-acme-plant1-dev is exited, desired running". */
  detail: string;
}

export type ActionKind = 'provision' | 'start' | 'stop' | 'destroy';

export interface ActionOutcome {
  kind: ActionKind;
  /** done: it ran and succeeded; failed: it ran and the engine refused (error says why); skipped: not run (detail says why). */
  outcome: 'done' | 'failed' | 'skipped';
  detail: string;
  /** The runtime's message (RuntimeError: what went wrong and what to do). */
  error?: string;
  /** The RuntimeError code, when there is one (IMAGE_MISSING, PORT_TAKEN, ...). */
  errorCode?: string;
  durationMs: number;
}

export interface EnvironmentReport {
  environmentId: string;
  tenant: string;
  site: string;
  desiredState: DesiredState;
  policy: Policy;
  drift: Drift[];
  actions: ActionOutcome[];
  /**
   * Compared, and every planned container is where the desired state wants it: desired running means running and
   * healthy (or without a health check), not still starting. Drift of kind `unplanned` (a left-over container) does not
   * count against it. False until compared, and when drift was found (even if this check repaired it).
   */
  ready: boolean;
  /** Why this environment could not be compared (the rest of the sweep went on). */
  error?: string;
}

/** A container with Switchyard's labels that no desired environment owns. Reported, never touched. */
export interface Orphan {
  id: string;
  name: string;
  state: ContainerState;
  /** Its io.switchyard.* owner labels (tenant, site, environment or project), for finding who left it. */
  owner: Record<string, string>;
  createdAt: Date;
}

export interface SweepCounts {
  environments: number;
  /** Environments with at least one drift. */
  drifted: number;
  /** Drift entries in all. */
  drift: number;
  orphans: number;
  actionsDone: number;
  actionsFailed: number;
  /** Environments that could not be compared. */
  errors: number;
}

export interface SweepReport {
  /** `sweep`: everything (periodic or called); `event`: a re-check of the owner an engine event named. */
  trigger: 'sweep' | 'event';
  /** For an event re-check: the owner labels it was limited to. */
  scope: Record<string, string> | null;
  startedAt: Date;
  durationMs: number;
  environments: EnvironmentReport[];
  orphans: Orphan[];
  counts: SweepCounts;
  /** Why nothing could be compared (engine unreachable, desired state unreadable); counts are then zero. */
  error?: string;
}

export type WatchState = 'connected' | 'disconnected';

export interface WatchChange {
  state: WatchState;
  /** Why the stream ended or could not be opened. */
  reason?: string;
  /** Next attempt in (disconnected only). */
  retryInMs?: number;
}
