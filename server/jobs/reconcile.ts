// The reconciler in the product: desired state from the database, reports to the log, the environment rows
// (last_error names the drift) and the metrics. Started beside the in-process worker (startJobs).
import { and, eq, inArray, isNull, like, notExists, or, sql } from 'drizzle-orm';
import { withTenant, type Db } from '@/db/client';
import { environmentJobs, environments } from '@/db/schema';
import { logger } from '@/server/logger';
import { observeReconcile } from '@/server/metrics';
import { Reconciler, type EnvironmentReport, type SweepReport } from '@/server/reconciler';
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
    onReport: (report) => recordReport(options.db, report, rows),
    onWatch: (change) => (change.state === 'connected'
      ? logger.info('reconciler: watching engine events')
      : logger.warn({ reason: change.reason, retryInMs: change.retryInMs }, 'reconciler: engine event stream lost; reconnecting')),
    onError: (error) => logger.error({ err: error }, 'reconciler: recording a check failed; the next check tries again'),
  });
}

type Stored = Pick<StoredDesiredEnvironment, 'tenantId' | 'lastError'>;

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
 * Writes the drift to last_error (or clears the reconciler's own earlier text) of a settled environment. The WHERE
 * keeps jobs' hands off: an environment a job is working on, or one whose status is a job's, is left as it is.
 */
async function recordDrift(db: Db, tenantId: string, environmentId: string, text: string | null): Promise<void> {
  const activeJob = db.select({ one: sql`1` }).from(environmentJobs).where(and(
    eq(environmentJobs.tenantId, environments.tenantId), eq(environmentJobs.environmentId, environments.id), inArray(environmentJobs.status, ACTIVE_JOB_STATES)));
  await withTenant(db, tenantId, (tx) => tx.update(environments).set({ lastError: text, updatedAt: new Date() }).where(and(
    eq(environments.tenantId, tenantId), eq(environments.id, environmentId), isNull(environments.removedAt),
    inArray(environments.status, SETTLED_STATUSES), notExists(activeJob),
    // Changed text only; a clean check clears the reconciler's text, never a job's error.
    text === null ? like(environments.lastError, `${DRIFT_PREFIX}%`) : or(isNull(environments.lastError), sql`${environments.lastError} <> ${text}`),
  )));
}
