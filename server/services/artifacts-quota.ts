// The tenant's artifact storage limit: bytes of distinct content (the same bytes in two versions count once). Checked
// in the upload's own transaction, under a per-tenant lock, only when the bytes are new to the tenant.
import { eq, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { artifactObjects, tenantQuotas } from '@/db/schema';
import { formatBytes } from '@/lib/format/bytes';
import { config } from '@/server/config';
import type { Who } from '@/server/context';
import { AppError } from '@/server/errors';
import { recordAudit } from './audit';
import { tenantQuota } from './quotas';

const MiB = 1024 ** 2;

export async function storageLimitBytes(tx: Tx, tenantId: string): Promise<number> {
  const [row] = await tx.select({ mib: tenantQuotas.maxStorageMib }).from(tenantQuotas).where(eq(tenantQuotas.tenantId, tenantId));
  return (row?.mib ?? config().SWITCHYARD_QUOTA_STORAGE_MIB) * MiB;
}

export async function storageUsedBytes(tx: Tx, tenantId: string): Promise<number> {
  const [row] = await tx.select({ bytes: sql<string>`coalesce(sum(${artifactObjects.sizeBytes}), 0)` }).from(artifactObjects).where(eq(artifactObjects.tenantId, tenantId));
  return Number(row?.bytes ?? 0);
}

/** Refuses (PRECONDITION_FAILED, naming the limit and the use) when `addBytes` more would pass the limit. */
export async function assertStorageWithin(tx: Tx, tenantId: string, addBytes: number, usedIncludesAdd = false): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`storage-quota:${tenantId}`}, 0))`);
  const [limit, used] = [await storageLimitBytes(tx, tenantId), await storageUsedBytes(tx, tenantId)];
  const before = usedIncludesAdd ? used - addBytes : used;
  if (before + addBytes > limit) {
    throw new AppError('PRECONDITION_FAILED',
      `Quota exceeded: artifact storage limit is ${formatBytes(limit)}, ${formatBytes(before)} in use, this file needs ${formatBytes(addBytes)} more. ` +
      'Delete versions you no longer need (garbage collection frees their bytes), or ask a tenant owner to raise the limit.', 'file');
  }
}

/** Sets the tenant's storage limit (audited); limits below current use stop new uploads, not what is stored. */
export async function setStorageQuota(db: Db, args: { tenantId: string; maxStorageMib: number } & Who) {
  return withTenant(db, args.tenantId, async (tx) => {
    const current = await tenantQuota(tx, args.tenantId);
    await tx.insert(tenantQuotas).values({ tenantId: args.tenantId, ...current, maxStorageMib: args.maxStorageMib })
      .onConflictDoUpdate({ target: tenantQuotas.tenantId, set: { maxStorageMib: args.maxStorageMib, updatedAt: new Date() } });
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'quota.storage', resourceType: 'tenant', resourceId: args.tenantId, changes: { maxStorageMib: args.maxStorageMib } });
    return { limitBytes: args.maxStorageMib * MiB, usedBytes: await storageUsedBytes(tx, args.tenantId) };
  });
}
