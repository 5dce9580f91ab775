/**
 * The reconciler's desired state read from the database: every tenant's live environments, each with the plan its
 * jobs provision. Read tenant by tenant under row-level security (withTenant), as every other read of environment
 * rows is: the plan needs the whole spec, and a SECURITY DEFINER function handing the app role every tenant's specs
 * would be a hole any app query could use. One short transaction per tenant per check is cheap at this scale.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { withTenant, type Db, type Tx } from '@/db/client';
import { environmentJobs, environments, portAllocations, tenants, type Environment } from '@/db/schema';
import { logger } from '@/server/logger';
import { environmentPlan } from '@/server/services/environments-spec';
import type { DesiredEnvironment, Policy } from './types';

/** A desired environment with the tenant row id its database row is written under, and its last_error as read. */
export interface StoredDesiredEnvironment extends DesiredEnvironment { tenantId: string; lastError: string | null }

/** Job states during which a job owns the environment: the reconciler reports drift and repairs nothing. */
export const ACTIVE_JOB_STATES: ('queued' | 'running')[] = ['queued', 'running'];

/**
 * Statuses a job left settled. Only these are repaired (policy 'repair'): anything else is between jobs' hands or
 * failed (a rolled-back provision is not brought back by the reconciler; the operator retries it), so 'report'.
 */
export const SETTLED_STATUSES: Environment['status'][] = ['running', 'stopped'];

export const policyOf = (status: Environment['status']): Policy => (SETTLED_STATUSES.includes(status) ? 'repair' : 'report');

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
  const rows = await tx.select({ env: environments, port: portAllocations.hostPort, activeJob: environmentJobs.id })
    .from(environments)
    .leftJoin(portAllocations, and(eq(portAllocations.tenantId, environments.tenantId), eq(portAllocations.environmentId, environments.id), eq(portAllocations.purpose, 'http')))
    // At most one queued or running job per environment (a unique index), so one row per environment.
    .leftJoin(environmentJobs, and(eq(environmentJobs.tenantId, environments.tenantId), eq(environmentJobs.environmentId, environments.id), inArray(environmentJobs.status, ACTIVE_JOB_STATES)))
    .where(and(eq(environments.tenantId, tenantId), isNull(environments.removedAt)));
  return rows.flatMap(({ env, port, activeJob }) => {
    const desired = toDesired(env, port, activeJob !== null);
    return desired ? [desired] : [];
  });
}

/** null (logged) when no plan can be built: the rest of the sweep must still see its environments. */
function toDesired(env: Environment, port: number | null, jobInProgress: boolean): StoredDesiredEnvironment | null {
  const where = { environmentId: env.id, tenantId: env.tenantId, environment: env.name };
  if (port === null) {
    logger.warn(where, 'reconciler: environment holds no host port, so it has no plan; its containers are reported as orphans');
    return null;
  }
  try {
    return {
      environmentId: env.id, tenantId: env.tenantId, lastError: env.lastError, tenant: env.runtimeTenant, site: env.runtimeSite,
      plan: environmentPlan(env, port), desiredState: env.desiredState, policy: policyOf(env.status), jobInProgress,
    };
  } catch (error) {
    logger.warn({ ...where, reason: error instanceof Error ? error.message : String(error) }, 'reconciler: environment spec gives no plan; fix it with a change');
    return null;
  }
}
