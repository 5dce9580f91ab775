// The reconciler in the product: desired state from the database, reports to the log, the environment rows
// (last_error names the drift) and the metrics. Started beside the in-process worker (startJobs).
import { and, eq, inArray, isNull, like, notExists, or, sql } from 'drizzle-orm';
import { withTenant, type Db } from '@/db/client';
import { environmentJobs, environments } from '@/db/schema';
import { logger } from '@/server/logger';
import { observeReconcile } from '@/server/metrics';
import { Reconciler, type EnvironmentReport, type SweepReport, type WatchChange } from '@/server/reconciler';
import { ACTIVE_JOB_STATES, SETTLED_STATUSES, loadDesiredEnvironments, type StoredDesiredEnvironment } from '@/server/reconciler/desired-from-db';
import type { GatewayRuntime } from '@/server/runtime';

/** last_error written by the reconciler starts with this, so a later clean check clears its own text only. */
export const DRIFT_PREFIX = 'drift: ';
const MAX_TEXT = 1000;

export interface ProductReconcilerOptions {
  db: Db;
  runtime: GatewayRuntime;
  intervalSeconds: number;
  /** Only these tenants' environments (default: all); others' containers are then orphans, reported and untouched. */
  onlyTenants?: readonly string[];
  /** The engine client (default: DOCKER_HOST or the local socket). */
  docker?: ConstructorParameters<typeof Reconciler>[0]['docker'];
  /** Hears every check's report once it is recorded (e.g. a test waiting for an event's re-check). */
  onReport?: (report: SweepReport) => void;
  /** Hears the event stream connecting and dropping, after it is logged. */
  onWatch?: (change: WatchChange) => void;
}

/** Creates the reconciler wired to the database; call watch() to start it (startJobs does). */
export function productReconciler(options: ProductReconcilerOptions): Reconciler {
  const rows = new Map<string, Stored>();
  return new Reconciler({
    runtime: options.runtime,
    ...(options.docker ? { docker: options.docker } : {}),
    intervalMs: options.intervalSeconds * 1000,
    desired: async () => {
      const desired = await loadDesiredEnvironments(options.db, options.onlyTenants);
      // Checks run one at a time, so the rows read here are the ones the coming report is about.
      rows.clear();
      for (const environment of desired) rows.set(environment.environmentId, environment);
      return desired;
    },
    onReport: async (report) => {
      try {
        await recordReport(options.db, report, rows);
      } finally {
        options.onReport?.(report);
      }
    },
    onWatch: (change) => {
      if (change.state === 'connected') logger.info('reconciler: watching engine events');
      else logger.warn({ reason: change.reason, retryInMs: change.retryInMs }, 'reconciler: engine event stream lost; reconnecting');
      options.onWatch?.(change);
    },
    onError: (error) => logger.error({ err: error }, 'reconciler: recording a check failed; the next check tries again'),
  });
}

type Stored = Pick<StoredDesiredEnvironment, 'tenantId' | 'lastError' | 'interrupted' | 'desiredState'>;

async function recordReport(db: Db, report: SweepReport, rows: ReadonlyMap<string, Stored>): Promise<void> {
  observeReconcile(report);
  if (report.error) {
    logger.warn({ trigger: report.trigger, reason: report.error }, 'reconciler: nothing compared');
    return;
  }
  if (report.trigger === 'sweep' && report.orphans.length > 0) {
    const orphans = report.orphans.map((orphan) => ({ name: orphan.name, state: orphan.state, owner: orphan.owner }));
    logger.warn({ orphans }, 'reconciler: containers with Switchyard labels that no environment owns (left untouched; remove them if nothing needs them)');
  }
  for (const environment of report.environments) {
    if (environment.drift.length > 0 || environment.error) logEnvironment(environment);
    const row = rows.get(environment.environmentId);
    if (!row || environment.error) continue;
    if (row.interrupted) {
      if (environment.ready && environment.policy === 'repair') await settleInterrupted(db, row, environment);
      continue; // failed: last_error keeps the job's words until it is settled
    }
    const text = driftText(environment);
    // Written only when it changes what the row said when read; cleared only when the reconciler wrote it.
    if (text === row.lastError || (text === null && !row.lastError?.startsWith(DRIFT_PREFIX))) continue;
    await recordDrift(db, row.tenantId, environment.environmentId, text);
  }
}

function logEnvironment(environment: EnvironmentReport): void {
  const { environmentId, tenant, site, desiredState, policy, error } = environment;
  const drift = environment.drift.map(({ kind, container, fields }) => ({ kind, container, ...(fields ? { fields } : {}) }));
  const actions = environment.actions.map(({ kind, outcome, detail, error: reason }) => ({ kind, outcome, detail, ...(reason ? { reason } : {}) }));
  logger.warn({ environmentId, tenant, site, desiredState, policy, drift, actions, ...(error ? { reason: error } : {}) }, 'reconciler: drift');
}

/** "drift: <what differs>; repair: <what was done>", or null when nothing differs. */
export function driftText(environment: Pick<EnvironmentReport, 'drift' | 'actions'>): string | null {
  if (environment.drift.length === 0) return null;
  const actions = environment.actions.map((action) => `${action.outcome === 'done' ? action.detail : `${action.outcome}: ${action.detail}`}${action.error ? ` (${action.error})` : ''}`);
  const text = `${DRIFT_PREFIX}${environment.drift.map((entry) => entry.detail).join('; ')}${actions.length > 0 ? `; repair: ${actions.join('; ')}` : ''}`;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/**
 * An environment whose job the engine's going away cut short is where it should be again: it takes its desired state
 * as status and its job's error is cleared. Only if nothing changed it since it was read (still failed with the same
 * error, no job queued or running): a new request or job has the last word.
 */
async function settleInterrupted(db: Db, row: Stored, environment: EnvironmentReport): Promise<void> {
  const status = row.desiredState;
  if (status === 'absent') return;
  const settled = await withTenant(db, row.tenantId, (tx) => tx.update(environments).set({ status, lastError: null, updatedAt: new Date() })
    .where(and(
      eq(environments.tenantId, row.tenantId), eq(environments.id, environment.environmentId), isNull(environments.removedAt), eq(environments.status, 'failed'),
      row.lastError === null ? isNull(environments.lastError) : eq(environments.lastError, row.lastError), notExists(activeJobOf(db)),
    ))
    .returning({ id: environments.id }));
  if (settled.length > 0) {
    logger.info({ environmentId: environment.environmentId, tenant: environment.tenant, site: environment.site, status },
      'reconciler: an environment whose job the engine interrupted is back in its desired state; its status is settled');
  }
}

/**
 * Writes the drift to last_error (or clears the reconciler's own earlier text) of a settled environment. The WHERE
 * keeps jobs' hands off: an environment a job is working on, or one whose status is a job's, is left as it is.
 */
async function recordDrift(db: Db, tenantId: string, environmentId: string, text: string | null): Promise<void> {
  await withTenant(db, tenantId, (tx) => tx.update(environments).set({ lastError: text, updatedAt: new Date() }).where(and(
    eq(environments.tenantId, tenantId), eq(environments.id, environmentId), isNull(environments.removedAt),
    inArray(environments.status, SETTLED_STATUSES), notExists(activeJobOf(db)),
    // Changed text only; a clean check clears the reconciler's text, never a job's error.
    text === null ? like(environments.lastError, `${DRIFT_PREFIX}%`) : or(isNull(environments.lastError), sql`${environments.lastError} <> ${text}`),
  )));
}

/** A queued or running job of the environment row the statement updates. */
function activeJobOf(db: Db) {
  return db.select({ one: sql`1` }).from(environmentJobs).where(and(
    eq(environmentJobs.tenantId, environments.tenantId), eq(environmentJobs.environmentId, environments.id), inArray(environmentJobs.status, ACTIVE_JOB_STATES)));
}
