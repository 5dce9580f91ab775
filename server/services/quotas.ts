// Per-tenant limits on environments, CPU and memory, checked before anything is created or resized.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import type { Actor, RequestMeta } from '@/server/context';
import { recordAudit } from './audit';
import { environments, tenantQuotas } from '@/db/schema';
import { config } from '@/server/config';
import { AppError } from '@/server/errors';
import { checkSpec } from './environments-spec';

export interface Quota { maxEnvironments: number; maxCpus: number; maxMemoryMib: number }
export interface Usage { environments: number; cpus: number; memoryMib: number }

export async function tenantQuota(tx: Tx, tenantId: string): Promise<Quota> {
  const [row] = await tx.select().from(tenantQuotas).where(eq(tenantQuotas.tenantId, tenantId));
  if (row) return { maxEnvironments: row.maxEnvironments, maxCpus: Number(row.maxCpus), maxMemoryMib: row.maxMemoryMib };
  const c = config();
  return { maxEnvironments: c.SWITCHYARD_QUOTA_ENVIRONMENTS, maxCpus: c.SWITCHYARD_QUOTA_CPUS, maxMemoryMib: c.SWITCHYARD_QUOTA_MEMORY_MIB };
}

export async function setTenantQuota(tx: Tx, tenantId: string, quota: Quota): Promise<void> {
  await tx.insert(tenantQuotas).values({ tenantId, ...quota })
    .onConflictDoUpdate({ target: tenantQuotas.tenantId, set: { ...quota, updatedAt: new Date() } });
}

/** What the tenant's live environments use, leaving one out (the one being resized). */
export async function tenantUsage(tx: Tx, tenantId: string, exceptEnvironmentId?: string): Promise<Usage> {
  const rows = await tx.select({ name: environments.name, spec: environments.spec }).from(environments)
    .where(and(eq(environments.tenantId, tenantId), isNull(environments.removedAt), exceptEnvironmentId ? ne(environments.id, exceptEnvironmentId) : undefined));
  const usage: Usage = { environments: rows.length, cpus: 0, memoryMib: 0 };
  for (const row of rows) {
    const { resources } = checkSpec(row.spec, row.name);
    usage.cpus += resources.cpus;
    usage.memoryMib += resources.memoryMiB;
  }
  return usage;
}

/**
 * Refuses (PRECONDITION_FAILED, naming the limit and the current use) when adding `extra` would pass a limit.
 * Holds a per-tenant lock to the end of the transaction, so two creations cannot both squeeze under a limit.
 */
export async function assertWithinQuota(tx: Tx, tenantId: string, extra: { environments: number; cpus: number; memoryMib: number }, exceptEnvironmentId?: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`quota:${tenantId}`}, 0))`);
  const [quota, usage] = [await tenantQuota(tx, tenantId), await tenantUsage(tx, tenantId, exceptEnvironmentId)];
  const checks = [
    { what: 'environments', limit: quota.maxEnvironments, used: usage.environments, add: extra.environments, unit: '' },
    { what: 'CPUs', limit: quota.maxCpus, used: usage.cpus, add: extra.cpus, unit: '' },
    { what: 'memory', limit: quota.maxMemoryMib, used: usage.memoryMib, add: extra.memoryMib, unit: 'MiB' },
  ];
  for (const c of checks) {
    if (c.add > 0 && c.used + c.add > c.limit) {
      throw new AppError('PRECONDITION_FAILED',
        `Quota exceeded: ${c.what} limit is ${c.limit}${c.unit}, ${c.used}${c.unit} in use, this needs ${c.add}${c.unit} more. ` +
        'Tear down an environment, choose a smaller size, or ask a tenant admin to raise the quota.', c.what === 'environments' ? undefined : 'spec');
    }
  }
}

/** The tenant's limits and what its live environments use, for the console and the API. */
export async function quotaOverview(db: Db, tenantId: string): Promise<{ quota: Quota; usage: Usage }> {
  return withTenant(db, tenantId, async (tx) => ({ quota: await tenantQuota(tx, tenantId), usage: await tenantUsage(tx, tenantId) }));
}

/** Sets the tenant's limits (audited). Limits below current use are allowed: they stop new growth, not what runs. */
export async function changeQuota(db: Db, args: { tenantId: string; quota: Quota; actor: Actor; meta: RequestMeta }): Promise<{ quota: Quota; usage: Usage }> {
  return withTenant(db, args.tenantId, async (tx) => {
    await setTenantQuota(tx, args.tenantId, args.quota);
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'quota.update', resourceType: 'tenant', resourceId: args.tenantId, changes: { ...args.quota } });
    return { quota: args.quota, usage: await tenantUsage(tx, args.tenantId) };
  });
}
