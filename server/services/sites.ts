import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { anyOf } from '@/db/any-of';
import { reusableQuery } from '@/db/reusable-query';
import { environments, sites } from '@/db/schema';
import { can, grantedSiteIds, type AccessGrant } from '@/lib/access/permissions';
import type { Who } from '@/server/context';
import { AppError, isUniqueViolation, notFound } from '@/server/errors';
import { recordAudit } from '@/server/services/audit';

export type Site = typeof sites.$inferSelect;

/** A site is visible to tenant-wide readers, and to whoever holds a grant on it. */
export async function siteVisible(tx: Tx, args: { tenantId: string; siteId: string; access: AccessGrant }): Promise<boolean> {
  const [row] = await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId)));
  if (!row) return false;
  return can(args.access, 'site:read') || args.access.sitePermissions.has(args.siteId);
}

const allSitesOfTenant = reusableQuery('all_sites_of_tenant', (db) => db
  .select().from(sites).where(eq(sites.tenantId, sql.placeholder('tenantId'))).orderBy(asc(sites.name)));

export async function listSites(db: Db, args: { tenantId: string; access: AccessGrant }): Promise<Site[]> {
  return withTenant(db, args.tenantId, async (tx) => {
    if (can(args.access, 'site:read')) {
      return allSitesOfTenant(tx, { tenantId: args.tenantId });
    }
    const ids = grantedSiteIds(args.access, 'site:read');
    if (ids.length === 0) return [];
    return tx.select().from(sites).where(and(eq(sites.tenantId, args.tenantId), anyOf(sites.id, ids))).orderBy(asc(sites.name));
  });
}

export async function getSite(db: Db, args: { tenantId: string; siteId: string }): Promise<Site> {
  const [row] = await withTenant(db, args.tenantId, (tx) =>
    tx.select().from(sites).where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId))));
  if (!row) throw notFound('site');
  return row;
}


const duplicateSlug = (slug: string) => new AppError('CONFLICT', `A site with the slug "${slug}" already exists in this tenant. Choose another slug.`, 'slug');

export async function createSite(db: Db, args: { tenantId: string; slug: string; name: string; description?: string } & Who): Promise<Site> {
  try {
    return await withTenant(db, args.tenantId, async (tx) => {
      const [row] = await tx.insert(sites).values({ tenantId: args.tenantId, slug: args.slug, name: args.name, description: args.description ?? '' }).returning();
      await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'site.create', resourceType: 'site', resourceId: row!.id, changes: { slug: args.slug, name: args.name } });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'sites_tenant_slug_idx')) throw duplicateSlug(args.slug);
    throw err;
  }
}

export async function updateSite(db: Db, args: { tenantId: string; siteId: string; name?: string; slug?: string; description?: string } & Who): Promise<Site> {
  try {
    return await withTenant(db, args.tenantId, async (tx) => {
      const changes = { name: args.name, slug: args.slug, description: args.description };
      const [row] = await tx.update(sites).set(changes)
        .where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId))).returning();
      if (!row) throw notFound('site');
      await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'site.update', resourceType: 'site', resourceId: row.id, changes });
      return row;
    });
  } catch (err) {
    if (args.slug && isUniqueViolation(err, 'sites_tenant_slug_idx')) throw duplicateSlug(args.slug);
    throw err;
  }
}

export async function deleteSite(db: Db, args: { tenantId: string; siteId: string } & Who): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    // Deleting the rows would leave the gateways running with nobody owning them.
    const live = await tx.select({ name: environments.name }).from(environments)
      .where(and(eq(environments.tenantId, args.tenantId), eq(environments.siteId, args.siteId), isNull(environments.removedAt)));
    if (live.length > 0) {
      throw new AppError('CONFLICT', `This site still runs ${live.length} environment(s) (${live.map((e) => e.name).join(', ')}). Tear them down first.`);
    }
    const [row] = await tx.delete(sites).where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId))).returning();
    if (!row) throw notFound('site');
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'site.delete', resourceType: 'site', resourceId: row.id, changes: { slug: row.slug, name: row.name } });
  });
}
