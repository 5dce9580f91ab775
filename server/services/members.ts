import { and, asc, eq } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { memberships, siteGrants, users } from '@/db/schema';
import type { AccessGrant } from '@/lib/access/permissions';
import { formatRoleRef, type RoleRef } from '@/lib/access/role-ref';
import type { Actor, Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '@/server/services/audit';
import { assertGrantable, customRolePermissions, siteRolePermissions, tenantRolePermissions } from '@/server/services/access';
import { resolveRoleRef } from '@/server/services/roles';

/** The caller's own access: what they may hand on to others. */
interface Grantor { grantorAccess: AccessGrant }

export interface MemberSummary {
  userId: string; email: string; name: string;
  /** Tenant-wide role, or null for someone who only holds site grants. */
  role: string | null;
  sites: { siteId: string; role: string }[];
  joinedAt: Date;
}

export async function listMembers(db: Db, args: { tenantId: string }): Promise<MemberSummary[]> {
  return withTenant(db, args.tenantId, async (tx) => {
    const rows = await tx.select({ m: memberships, email: users.email, name: users.name }).from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.tenantId, args.tenantId)).orderBy(asc(users.email));
    const grants = await tx.select().from(siteGrants).where(eq(siteGrants.tenantId, args.tenantId));
    return rows.map(({ m, email, name }) => ({
      userId: m.userId, email, name, role: formatRoleRef(m), joinedAt: m.createdAt,
      sites: grants.filter((g) => g.userId === m.userId).map((g) => ({ siteId: g.siteId, role: formatRoleRef(g) ?? '' })),
    }));
  });
}

async function requireMember(tx: Tx, tenantId: string, userId: string) {
  const [m] = await tx.select().from(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  if (!m) throw notFound('member');
  return m;
}

/**
 * Only an owner (a person, not a token) may make or unmake owners. Returns the owners' user ids, locked: concurrent
 * ownership changes queue here, so two owners cannot demote each other at the same moment and leave none.
 */
export async function assertActorIsOwner(tx: Tx, args: { tenantId: string; actor: Actor }): Promise<string[]> {
  const owners = (await tx.select({ userId: memberships.userId }).from(memberships)
    .where(and(eq(memberships.tenantId, args.tenantId), eq(memberships.role, 'owner'))).orderBy(asc(memberships.id)).for('update')).map((r) => r.userId);
  if (args.actor.type !== 'user' || !owners.includes(args.actor.userId)) {
    throw new AppError('FORBIDDEN', 'Only an owner can grant or remove the owner role.', 'role');
  }
  return owners;
}

/** Only an owner may make or unmake owners, and the last owner stays. */
async function guardOwnership(tx: Tx, args: { tenantId: string; actor: Actor }, currentRole: string | null, nextRole: string | null) {
  if (currentRole !== 'owner' && nextRole !== 'owner') return;
  const owners = await assertActorIsOwner(tx, args);
  if (currentRole === 'owner' && nextRole !== 'owner' && owners.length <= 1) {
    throw new AppError('CONFLICT', 'This is the last owner of the tenant. Make someone else an owner first.');
  }
}

/** The permissions a role reference carries, for the no-escalation check. */
export async function permissionsOfRef(tx: Tx, tenantId: string, ref: RoleRef, kind: 'tenant' | 'site') {
  const custom = await customRolePermissions(tx, tenantId);
  return kind === 'tenant' ? tenantRolePermissions(ref, custom) : siteRolePermissions(ref, custom);
}

export async function changeMemberRole(db: Db, args: { tenantId: string; userId: string; role: string | null } & Who & Grantor): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    const member = await requireMember(tx, args.tenantId, args.userId);
    const ref = args.role === null ? { role: null, customRoleId: null } : await resolveRoleRef(tx, args.tenantId, args.role, 'tenant');
    await guardOwnership(tx, args, member.role, ref.role);
    assertGrantable(args.grantorAccess, await permissionsOfRef(tx, args.tenantId, ref, 'tenant'), { subject: 'That role', field: 'role' });
    await tx.update(memberships).set(ref).where(and(eq(memberships.tenantId, args.tenantId), eq(memberships.id, member.id)));
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'member.role_change', resourceType: 'member', resourceId: args.userId, changes: { from: formatRoleRef(member), to: args.role } });
  });
}

export async function removeMember(db: Db, args: { tenantId: string; userId: string } & Who): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    const member = await requireMember(tx, args.tenantId, args.userId);
    await guardOwnership(tx, args, member.role, null);
    await tx.delete(siteGrants).where(and(eq(siteGrants.tenantId, args.tenantId), eq(siteGrants.userId, args.userId)));
    await tx.delete(memberships).where(and(eq(memberships.tenantId, args.tenantId), eq(memberships.id, member.id)));
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'member.remove', resourceType: 'member', resourceId: args.userId, changes: { role: formatRoleRef(member) } });
  });
}

/** Delegates one site to a member (operator, developer, viewer or a custom role); replaces an earlier grant. */
export async function grantSite(db: Db, args: { tenantId: string; siteId: string; userId: string; role: string } & Who & Grantor): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    await requireMember(tx, args.tenantId, args.userId);
    const ref = await resolveRoleRef(tx, args.tenantId, args.role, 'site');
    assertGrantable(args.grantorAccess, await permissionsOfRef(tx, args.tenantId, ref, 'site'), { subject: 'That site role', field: 'role', siteId: args.siteId });
    await tx.insert(siteGrants).values({ tenantId: args.tenantId, siteId: args.siteId, userId: args.userId, ...ref })
      .onConflictDoUpdate({ target: [siteGrants.tenantId, siteGrants.siteId, siteGrants.userId], set: ref });
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'site.grant', resourceType: 'site', resourceId: args.siteId, changes: { userId: args.userId, role: args.role } });
  });
}

export async function revokeSiteGrant(db: Db, args: { tenantId: string; siteId: string; userId: string } & Who): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    const [row] = await tx.delete(siteGrants).where(and(eq(siteGrants.tenantId, args.tenantId), eq(siteGrants.siteId, args.siteId), eq(siteGrants.userId, args.userId))).returning();
    if (!row) throw notFound('site grant');
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'site.revoke', resourceType: 'site', resourceId: args.siteId, changes: { userId: args.userId } });
  });
}

export async function listSiteGrants(db: Db, args: { tenantId: string; siteId: string }) {
  return withTenant(db, args.tenantId, async (tx) => {
    const rows = await tx.select({ g: siteGrants, email: users.email, name: users.name }).from(siteGrants)
      .innerJoin(users, eq(users.id, siteGrants.userId))
      .where(and(eq(siteGrants.tenantId, args.tenantId), eq(siteGrants.siteId, args.siteId))).orderBy(asc(users.email));
    return rows.map(({ g, email, name }) => ({ userId: g.userId, email, name, role: formatRoleRef(g) ?? '', grantedAt: g.createdAt }));
  });
}
