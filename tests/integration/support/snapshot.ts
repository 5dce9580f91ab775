import { sql } from 'drizzle-orm';
import { withPlatform, withTenant } from '@/db/client';
import { ownerDb } from '../../helpers/db';

// Every table that carries tenant_id. The snapshot is read as the owning role with the tenant set, so a row
// smuggled in under this tenant's id by any path shows up, and nothing else's rows do.
export const TENANT_TABLES = ['sites', 'memberships', 'site_grants', 'custom_roles', 'invitations', 'api_tokens', 'audit_log',
  'environments', 'environment_jobs', 'port_allocations', 'tenant_quotas', 'environment_samples',
  'artifacts', 'artifact_objects', 'artifact_versions', 'artifact_deployments', 'backup_schedules'] as const;
export type TenantTable = (typeof TENANT_TABLES)[number];

// Written by the job worker in the background as it runs the world's environment, not by the calls under test.
const WORKER_PROGRESS: Partial<Record<TenantTable, readonly string[]>> = {
  environment_jobs: ['status', 'steps', 'error', 'started_at', 'finished_at', 'heartbeat_at', 'updated_at'],
  environments: ['status', 'last_error', 'updated_at'],
};

// Tables whose rows the worker alone inserts and prunes in the background (the stats sampler): left out whole.
const WORKER_TABLES: readonly TenantTable[] = ['environment_samples'];

function withoutWorkerProgress(table: TenantTable, row: Record<string, unknown>): Record<string, unknown> {
  const volatile = WORKER_PROGRESS[table];
  return volatile ? Object.fromEntries(Object.entries(row).filter(([k]) => !volatile.includes(k))) : row;
}
export type Snapshot = Record<TenantTable, Record<string, unknown>[]>;

/**
 * Waits until none of the tenant's jobs is queued or running: a finished job may still write after the call that queued it
 * returned (a failed change restores the previous spec), and that must not land between two snapshots.
 */
async function settled(tenantId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await withTenant(ownerDb().db, tenantId, (tx) =>
      tx.execute(sql`select count(*)::int as active from environment_jobs where status in ('queued', 'running')`));
    if (Number(row?.active) === 0) return;
    if (Date.now() > deadline) throw new Error(`tenant ${tenantId} still has active jobs after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function tenantSnapshot(tenantId: string): Promise<Snapshot> {
  await settled(tenantId);
  return withTenant(ownerDb().db, tenantId, async (tx) => {
    const entries = await Promise.all(TENANT_TABLES.map(async (table) =>
      [table, WORKER_TABLES.includes(table) ? [] : [...await tx.execute(sql`select * from ${sql.identifier(table)} order by 1`)].map((row) => withoutWorkerProgress(table, row))] as const));
    return Object.fromEntries(entries) as Snapshot;
  });
}

/** The snapshot without audit entries that record refusals (a refused call is expected to leave exactly those). */
export function withoutDenied(snapshot: Snapshot): Snapshot {
  return { ...snapshot, audit_log: snapshot.audit_log.filter((e) => e.result !== 'denied') };
}

export function deniedEntries(snapshot: Snapshot) {
  return snapshot.audit_log.filter((e) => e.result === 'denied');
}

/** The platform's own audit chain (tenant_id null): sign-ins and tenant creation. */
export async function platformAudit(afterId = 0): Promise<Record<string, unknown>[]> {
  return withPlatform(ownerDb().db, async (tx) =>
    [...await tx.execute(sql`select * from audit_log where tenant_id is null and id > ${afterId} order by 1`)]);
}
