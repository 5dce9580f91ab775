import { asc, eq } from 'drizzle-orm';
import { anyOf } from '@/db/any-of';
import { type Db, withPlatform, withTenant, withUser } from '@/db/client';
import { memberships, siteGrants, tenants, users } from '@/db/schema';
import type { TenantRole } from '@/lib/access/permissions';
import type { Actor, RequestMeta } from '@/server/context';
import { AppError, isUniqueViolation } from '@/server/errors';
import { recordAudit } from '@/server/services/audit';

export type Tenant = typeof tenants.$inferSelect;

/** Platform operators create tenants with a first owner; the owner must already have an account. */
export async function createTenant(db: Db, args: {
  slug: string; name: string; ownerEmail: string; actor: Actor; meta: RequestMeta;
}): Promise<Tenant> {
  const [owner] = await db.select().from(users).where(eq(users.email, args.ownerEmail.toLowerCase()));
  if (!owner) throw new AppError('BAD_REQUEST', `No account uses ${args.ownerEmail}. Create the person's account first, or invite them after creating the tenant with yourself as owner.`, 'ownerEmail');
  try {
    return await db.transaction(async (outer) => {
      const [tenant] = await outer.insert(tenants).values({ slug: args.slug, name: args.name }).returning();
      await withTenant(outer, tenant!.id, async (tx) => {
        await tx.insert(memberships).values({ tenantId: tenant!.id, userId: owner.id, role: 'owner' satisfies TenantRole });
        await recordAudit(tx, { tenantId: tenant!.id, actor: args.actor, meta: args.meta, action: 'tenant.create', resourceType: 'tenant', resourceId: tenant!.id, changes: { slug: args.slug, name: args.name, owner: owner.email } });
      });
      await withPlatform(outer, (tx) => recordAudit(tx, { tenantId: null, actor: args.actor, meta: args.meta, action: 'tenant.create', resourceType: 'tenant', resourceId: tenant!.id, changes: { slug: args.slug } }));
      return tenant!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'tenants_slug_unique')) throw new AppError('CONFLICT', `The tenant slug "${args.slug}" is taken. Choose another.`, 'slug');
    throw err;
  }
}

export async function listAllTenants(db: Db): Promise<Tenant[]> {
  return db.select().from(tenants).orderBy(asc(tenants.name));
}

export interface MyTenant { id: string; slug: string; name: string; role: string | null; siteGrants: number }

/** The tenants a person belongs to, by membership or by site grant, for the tenant switcher. */
export async function listMyTenants(db: Db, args: { userId: string }): Promise<MyTenant[]> {
  return withUser(db, args.userId, async (tx) => {
    const mine = await tx.select({ tenantId: memberships.tenantId, role: memberships.role, custom: memberships.customRoleId })
      .from(memberships).where(eq(memberships.userId, args.userId));
    const grants = await tx.select({ tenantId: siteGrants.tenantId }).from(siteGrants).where(eq(siteGrants.userId, args.userId));
    const ids = [...new Set([...mine.map((m) => m.tenantId), ...grants.map((g) => g.tenantId)])];
    if (ids.length === 0) return [];
    const rows = await tx.select().from(tenants).where(anyOf(tenants.id, ids)).orderBy(asc(tenants.name));
    return rows.map((t) => {
      const m = mine.find((x) => x.tenantId === t.id);
      return { id: t.id, slug: t.slug, name: t.name, role: m?.custom ? 'custom' : (m?.role ?? null), siteGrants: grants.filter((g) => g.tenantId === t.id).length };
    });
  });
}
