// Garbage collection: content objects that no version refers to, stray objects that no row describes (a commit
// that failed after the bytes were written), and staging leftovers of uploads that never finished.
import { and, eq, lt, notExists, sql } from 'drizzle-orm';
import { type Db, withTenant } from '@/db/client';
import { artifactObjects, artifactVersions } from '@/db/schema';
import { logger } from '@/server/logger';
import { contentKey, sweepStaging, type ObjectStore } from '@/server/storage';

export interface CollectionReport { removedObjects: number; removedBytes: number; strayObjects: number; stagingObjects: number }

/** Grace period: an object younger than this is left alone, so an upload in flight never loses its bytes. */
export const DEFAULT_GC_GRACE_MS = 15 * 60_000;

export async function collectGarbage(db: Db, store: ObjectStore, args: { tenantId: string; graceMs?: number }): Promise<CollectionReport> {
  const cutoff = new Date(Date.now() - (args.graceMs ?? DEFAULT_GC_GRACE_MS));
  const { tenantId } = args;
  const removed = await withTenant(db, tenantId, async (tx) => {
    // Locked rows belong to an upload committing right now: skipped, not waited for.
    const rows = await tx.select().from(artifactObjects).where(and(
      eq(artifactObjects.tenantId, tenantId), lt(artifactObjects.referencedAt, cutoff),
      notExists(tx.select({ one: sql`1` }).from(artifactVersions).where(and(eq(artifactVersions.tenantId, tenantId), eq(artifactVersions.sha256, artifactObjects.sha256)))),
    )).for('update', { skipLocked: true });
    for (const row of rows) {
      await store.remove(contentKey(tenantId, row.sha256));
      await tx.delete(artifactObjects).where(and(eq(artifactObjects.tenantId, tenantId), eq(artifactObjects.sha256, row.sha256)));
    }
    return rows;
  });
  const strayObjects = await removeStrays(db, store, tenantId, cutoff);
  const stagingObjects = await sweepStaging(store, cutoff, { tenantIds: [tenantId] });
  const report = { removedObjects: removed.length, removedBytes: removed.reduce((sum, r) => sum + r.sizeBytes, 0), strayObjects, stagingObjects };
  if (report.removedObjects + report.strayObjects + report.stagingObjects > 0) logger.info({ tenantId, ...report }, 'artifact garbage collected');
  return report;
}

async function removeStrays(db: Db, store: ObjectStore, tenantId: string, cutoff: Date): Promise<number> {
  const known = await withTenant(db, tenantId, async (tx) =>
    new Set((await tx.select({ sha256: artifactObjects.sha256 }).from(artifactObjects).where(eq(artifactObjects.tenantId, tenantId))).map((r) => r.sha256)));
  const strays: string[] = [];
  for await (const object of store.list(`tenants/${tenantId}/sha256/`)) {
    const sha256 = object.key.slice(object.key.lastIndexOf('/') + 1);
    if (!known.has(sha256) && object.lastModified < cutoff) strays.push(object.key);
  }
  if (strays.length > 0) await store.removeMany(strays);
  return strays.length;
}

/** Every tenant in turn; one tenant's failure is logged and the others still run. */
export async function collectAllTenants(db: Db, store: ObjectStore, graceMs?: number): Promise<void> {
  const tenants = await db.execute<{ id: string }>(sql`select artifact_store_tenants() as id`);
  for (const { id } of tenants) {
    await collectGarbage(db, store, { tenantId: id, graceMs }).catch((err: unknown) => logger.warn({ err, tenantId: id }, 'artifact garbage collection failed for a tenant'));
  }
}
