import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { apiTokens, customRoles, invitations, memberships, siteGrants } from '@/db/schema';
import { parseRoleRef, type RoleRef } from '@/lib/access/role-ref';
import type { AccessGrant, Permission } from '@/lib/access/permissions';
import type { Who } from '@/server/context';
import { AppError, isUniqueViolation, notFound } from '@/server/errors';
import { assertGrantable } from '@/server/services/access';
import { recordAudit } from '@/server/services/audit';

export type CustomRole = typeof customRoles.$inferSelect;

/** Turns "admin" or "custom:<id>" into a stored reference, checking a custom role belongs to this tenant. */
export async function resolveRoleRef(tx: Tx, tenantId: string, value: string, kind: 'tenant' | 'site', field = 'role'): Promise<RoleRef> {
  const ref = parseRoleRef(value, kind);
  if ('error' in ref) throw new AppError('BAD_REQUEST', ref.error, field);
  if (ref.customRoleId) {
    const [row] = await tx.select({ id: customRoles.id }).from(customRoles)
      .where(and(eq(customRoles.tenantId, tenantId), eq(customRoles.id, ref.customRoleId)));
    // A foreign id answers NOT_FOUND, exactly as a made-up one does.
    if (!row) throw new AppError('NOT_FOUND', `There is no custom role ${ref.customRoleId} in this tenant. Pick one from the roles list.`, field);
  }
  return ref;
}

export async function listRoles(db: Db, args: { tenantId: string }): Promise<CustomRole[]> {
  return withTenant(db, args.tenantId, (tx) => tx.select().from(customRoles).where(eq(customRoles.tenantId, args.tenantId)).orderBy(asc(customRoles.name)));
}

const duplicateName = (name: string) => new AppError('CONFLICT', `A role named "${name}" already exists. Choose another name.`, 'name');

export async function createRole(db: Db, args: { tenantId: string; name: string; description: string; permissions: Permission[]; grantorAccess: AccessGrant } & Who): Promise<CustomRole> {
  assertGrantable(args.grantorAccess, args.permissions, { subject: 'A role', field: 'permissions' });
  try {
    return await withTenant(db, args.tenantId, async (tx) => {
      const [row] = await tx.insert(customRoles).values({ tenantId: args.tenantId, name: args.name, description: args.description, permissions: [...new Set(args.permissions)] }).returning();
      await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'role.create', resourceType: 'role', resourceId: row!.id, changes: { name: args.name, permissions: row!.permissions } });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'custom_roles_tenant_name_idx')) throw duplicateName(args.name);
    throw err;
  }
}

export async function updateRole(db: Db, args: { tenantId: string; roleId: string; name?: string; description?: string; permissions?: Permission[]; grantorAccess: AccessGrant } & Who): Promise<CustomRole> {
  assertGrantable(args.grantorAccess, args.permissions ?? [], { subject: 'A role', field: 'permissions' });
  try {
    return await withTenant(db, args.tenantId, async (tx) => {
      const changes = { name: args.name, description: args.description, permissions: args.permissions && [...new Set(args.permissions)] };
      const [row] = await tx.update(customRoles).set(changes).where(and(eq(customRoles.tenantId, args.tenantId), eq(customRoles.id, args.roleId))).returning();
      if (!row) throw notFound('role');
      await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'role.update', resourceType: 'role', resourceId: row.id, changes });
      return row;
    });
  } catch (err) {
    if (args.name && isUniqueViolation(err, 'custom_roles_tenant_name_idx')) throw duplicateName(args.name);
    throw err;
  }
}

/** Whether anything still live holds the role: a member, a site grant, a usable token or a pending invitation. */
async function roleInUse(tx: Tx, tenantId: string, roleId: string): Promise<boolean> {
  const now = new Date();
  const holders = await Promise.all([
    tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.customRoleId, roleId))).limit(1),
    tx.select({ id: siteGrants.id }).from(siteGrants).where(and(eq(siteGrants.tenantId, tenantId), eq(siteGrants.customRoleId, roleId))).limit(1),
    tx.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.tenantId, tenantId), eq(apiTokens.customRoleId, roleId),
      isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)))).limit(1),
    tx.select({ id: invitations.id }).from(invitations).where(and(eq(invitations.tenantId, tenantId), eq(invitations.customRoleId, roleId),
      isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now))).limit(1),
  ]);
  return holders.some((rows) => rows.length > 0);
}

export async function deleteRole(db: Db, args: { tenantId: string; roleId: string } & Who): Promise<void> {
  await withTenant(db, args.tenantId, async (tx) => {
    if (await roleInUse(tx, args.tenantId, args.roleId)) {
      throw new AppError('CONFLICT', 'This role is still assigned to members, site grants, pending invitations or active API tokens. Reassign or revoke them first.');
    }
    // Spent tokens and invitations stay as history but let go of the role; otherwise it could never be deleted.
    for (const table of [apiTokens, invitations]) {
      await tx.update(table).set({ customRoleId: null }).where(and(eq(table.tenantId, args.tenantId), eq(table.customRoleId, args.roleId)));
    }
    const [row] = await tx.delete(customRoles).where(and(eq(customRoles.tenantId, args.tenantId), eq(customRoles.id, args.roleId))).returning();
    if (!row) throw notFound('role');
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'role.delete', resourceType: 'role', resourceId: row.id, changes: { name: row.name } });
  });
}
