/**
 * The reconciler's desired state read from the database: every tenant's live environments, each with the plan its
 * jobs provision. Read tenant by tenant under row-level security (withTenant), as every other read of environment
 * rows is: the plan needs the whole spec, and a SECURITY DEFINER function handing the app role every tenant's specs
 * would be a hole any app query could use. One short transaction per tenant per check is cheap at this scale.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { withTenant, type Db, type Tx } from '@/db/client';
import { environmentJobs, environments, portAllocations, tenants, type Environment } from '@/db/schema';
import { logger } from '@/server/logger';
import { environmentPlan } from '@/server/services/environments-spec';
import type { DesiredEnvironment, Policy } from './types';

/** A desired environment with the tenant row id its database row is written under, and its last_error as read. */
export interface StoredDesiredEnvironment extends DesiredEnvironment {
  tenantId: string;
  lastError: string | null;
  /** Its last job was cut short by the engine going away (interruptedByEngine): repaired, and settled once ready. */
  interrupted: boolean;
}

/** Job states during which a job owns the environment: the reconciler reports drift and repairs nothing. */
export const ACTIVE_JOB_STATES: ('queued' | 'running')[] = ['queued', 'running'];

/**
 * Statuses a job left settled. Only these are repaired (policy 'repair'): anything else is between jobs' hands or
 * failed (a rolled-back provision is not brought back by the reconciler; the operator retries it), so 'report',
 * unless an engine outage cut the job short (interruptedByEngine).
 */
export const SETTLED_STATUSES: Environment['status'][] = ['running', 'stopped'];

export const policyOf = (status: Environment['status'], interrupted = false): Policy => (SETTLED_STATUSES.includes(status) || interrupted ? 'repair' : 'report');

/** How runtimeErrors.unreachable begins: the engine did not answer (stopped, restarting, socket gone). */
export const ENGINE_UNREACHABLE_TEXT = 'runtime unavailable: ';

/**
 * A failed environment whose last job the engine's going away cut short, leaving what it had made in place: the job
 * failed (not rolled back: its rollback could not reach the engine either) and its error, or its cleanup's, says the
 * engine did not answer. Nothing is wrong with the gateway or its spec, so once the engine is back the reconciler
 * finishes what the job started (a restarted engine also restarts the gateway under its restart policy) and settles
 * the environment in its desired state. A rolled-back job left nothing (its secret files neither): the operator
 * retries it. A teardown (desired absent) is retried by the operator too.
 */
export function interruptedByEngine(env: Pick<Environment, 'status' | 'desiredState' | 'lastError'>, lastJobStatus: string | null): boolean {
  return env.status === 'failed' && env.desiredState !== 'absent' && lastJobStatus === 'failed' && (env.lastError ?? '').includes(ENGINE_UNREACHABLE_TEXT);
}

/**
 * Every tenant's live (not torn-down) environments; `onlyTenants` limits it to those tenants (a reconciler sharing
 * its database with environments it must not touch, as test suites do).
 */
export async function loadDesiredEnvironments(db: Db, onlyTenants?: readonly string[]): Promise<StoredDesiredEnvironment[]> {
  const tenantRows = onlyTenants ? onlyTenants.map((id) => ({ id })) : await db.select({ id: tenants.id }).from(tenants);
  const desired: StoredDesiredEnvironment[] = [];
  for (const { id } of tenantRows) desired.push(...await withTenant(db, id, (tx) => tenantEnvironments(tx, id)));
  return desired;
}

async function tenantEnvironments(tx: Tx, tenantId: string): Promise<StoredDesiredEnvironment[]> {
  const lastJobStatus = sql<string | null>`(select j.status from ${environmentJobs} j where j.tenant_id = ${environments.tenantId} and j.environment_id = ${environments.id} order by j.number desc limit 1)`;
  // Every host port by purpose (`http`, or `http:<member>` for each member of a stack); null when none is held.
  const ports = sql<Record<string, number> | null>`(select jsonb_object_agg(p.purpose, p.host_port) from ${portAllocations} p where p.tenant_id = ${environments.tenantId} and p.environment_id = ${environments.id})`;
  const rows = await tx.select({ env: environments, port: ports, activeJob: environmentJobs.id, lastJobStatus })
    .from(environments)
    // At most one queued or running job per environment (a unique index), so one row per environment.
    .leftJoin(environmentJobs, and(eq(environmentJobs.tenantId, environments.tenantId), eq(environmentJobs.environmentId, environments.id), inArray(environmentJobs.status, ACTIVE_JOB_STATES)))
    .where(and(eq(environments.tenantId, tenantId), isNull(environments.removedAt)));
  return rows.flatMap(({ env, port, activeJob, lastJobStatus: lastJob }) => {
    const desired = toDesired(env, port, activeJob !== null, interruptedByEngine(env, lastJob));
    return desired ? [desired] : [];
  });
}

/** null (logged) when no plan can be built: the rest of the sweep must still see its environments. */
function toDesired(env: Environment, port: Record<string, number> | null, jobInProgress: boolean, interrupted: boolean): StoredDesiredEnvironment | null {
  const where = { environmentId: env.id, tenantId: env.tenantId, environment: env.name };
  if (port === null) {
    logger.warn(where, 'reconciler: environment holds no host port, so it has no plan; its containers are reported as orphans');
    return null;
  }
  try {
    return {
      environmentId: env.id, tenantId: env.tenantId, lastError: env.lastError, tenant: env.runtimeTenant, site: env.runtimeSite,
      plan: environmentPlan(env, port), desiredState: env.desiredState, policy: policyOf(env.status, interrupted), jobInProgress, interrupted,
    };
  } catch (error) {
    logger.warn({ ...where, reason: error instanceof Error ? error.message : String(error) }, 'reconciler: environment spec gives no plan; fix it with a change');
    return null;
  }
}
