import { and, eq, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { anyOf } from '@/db/any-of';
import { reusableQuery } from '@/db/reusable-query';
import { apiTokens, customRoles, memberships, siteGrants } from '@/db/schema';
import {
  can, isPermission, isSiteRole, isTenantRole, SITE_ROLE_PERMISSIONS, SITE_SCOPED_PERMISSIONS, TENANT_ROLE_PERMISSIONS,
  type AccessGrant, type Permission,
} from '@/lib/access/permissions';
import type { RoleRef } from '@/lib/access/role-ref';
import type { Actor } from '@/server/context';
import { AppError, notFound } from '@/server/errors';


export async function customRolePermissions(tx: Tx, tenantId: string, onlyIds?: readonly string[]): Promise<Map<string, Permission[]>> {
  if (onlyIds && onlyIds.length === 0) return new Map();
  const rows = await tx.select({ id: customRoles.id, permissions: customRoles.permissions }).from(customRoles)
    .where(onlyIds ? and(eq(customRoles.tenantId, tenantId), anyOf(customRoles.id, onlyIds)) : eq(customRoles.tenantId, tenantId));
  return new Map(rows.map((r) => [r.id, r.permissions.filter(isPermission)]));
}

const customIds = (refs: readonly RoleRef[]) => [...new Set(refs.map((r) => r.customRoleId).filter((id): id is string => Boolean(id)))];

export function tenantRolePermissions(ref: RoleRef, custom: Map<string, Permission[]>): Permission[] {
  if (ref.customRoleId) return custom.get(ref.customRoleId) ?? [];
  return ref.role && isTenantRole(ref.role) ? [...TENANT_ROLE_PERMISSIONS[ref.role]] : [];
}

export function siteRolePermissions(ref: RoleRef, custom: Map<string, Permission[]>): Permission[] {
  if (ref.customRoleId) return (custom.get(ref.customRoleId) ?? []).filter((p) => SITE_SCOPED_PERMISSIONS.includes(p));
  return ref.role && isSiteRole(ref.role) ? [...SITE_ROLE_PERMISSIONS[ref.role]] : [];
}

export const TOKEN_UNUSABLE = 'This API token has been revoked or has expired. Send a valid one as "Authorization: Bearer <token>" (a tenant admin creates them), or sign in.';

export const tokenUsable = (row: { revokedAt: Date | null; expiresAt: Date | null }, now = new Date()) =>
  !row.revokedAt && !(row.expiresAt && row.expiresAt <= now);

const tokenWithCreator = reusableQuery('token_with_creator', (db) => db
  .select({ token: apiTokens, creator: { role: memberships.role, customRoleId: memberships.customRoleId } })
  .from(apiTokens)
  .leftJoin(memberships, and(eq(memberships.tenantId, apiTokens.tenantId), eq(memberships.userId, apiTokens.createdBy)))
  .where(and(eq(apiTokens.tenantId, sql.placeholder('tenantId')), eq(apiTokens.id, sql.placeholder('tokenId')))));

/**
 * A token holds its role, checked on every request (a token revoked or lapsed mid-session stops at once), and never
 * more than its creator holds today: a creator who leaves or is demoted takes their tokens' power with them.
 */
async function tokenAccess(tx: Tx, tenantId: string, actor: Extract<Actor, { type: 'token' }>): Promise<AccessGrant | null> {
  if (actor.tenantId !== tenantId) return null;
  const [row] = await tokenWithCreator(tx, { tenantId, tokenId: actor.tokenId });
  // The request may have named the token from memory (identifyToken): this read is what makes a revocation final.
  if (!row || !tokenUsable(row.token)) throw new AppError('UNAUTHORIZED', TOKEN_UNUSABLE);
  if (!row.creator) return null;
  const custom = await customRolePermissions(tx, tenantId, customIds([row.token, row.creator]));
  const creatorHolds = new Set(tenantRolePermissions(row.creator, custom));
  return {
    tenantPermissions: new Set(tenantRolePermissions(row.token, custom).filter((p) => creatorHolds.has(p))),
    sitePermissions: new Map(),
    expiresAt: row.token.expiresAt,
  };
}

/**
 * What the actor may do in the tenant, read fresh on every request so a removed grant takes effect at once.
 * Null when the actor has no standing in the tenant at all (the caller answers NOT_FOUND).
 * Must run inside withTenant(tenantId).
 */
export async function resolveAccess(tx: Tx, tenantId: string, actor: Actor): Promise<AccessGrant | null> {
  if (actor.type === 'token') return tokenAccess(tx, tenantId, actor);
  // The membership and every site grant in one round trip: this runs on every request.
  const refs = await tx.select({ siteId: sql<string | null>`null::uuid`, role: memberships.role, customRoleId: memberships.customRoleId })
    .from(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, actor.userId)))
    .unionAll(tx.select({ siteId: siteGrants.siteId, role: siteGrants.role, customRoleId: siteGrants.customRoleId })
      .from(siteGrants).where(and(eq(siteGrants.tenantId, tenantId), eq(siteGrants.userId, actor.userId))));
  if (refs.length === 0) return null;
  const custom = await customRolePermissions(tx, tenantId, customIds(refs));
  const membership = refs.find((r) => r.siteId === null);
  const sitePermissions = new Map<string, Set<Permission>>();
  for (const g of refs) {
    if (g.siteId === null) continue;
    const set = sitePermissions.get(g.siteId) ?? new Set<Permission>();
    for (const p of siteRolePermissions(g, custom)) set.add(p);
    sitePermissions.set(g.siteId, set);
  }
  return {
    tenantPermissions: new Set(membership ? tenantRolePermissions(membership, custom) : []),
    sitePermissions,
  };
}

/**
 * Nobody hands out what they do not hold: a role, grant, invitation or token may carry only permissions the grantor
 * has (on that site, for a site grant). Otherwise an admin could mint themselves a role with more than admin.
 */
export function assertGrantable(grantor: AccessGrant, permissions: readonly Permission[], opts: { subject: string; field: string; siteId?: string }): void {
  const beyond = [...new Set(permissions)].filter((p) => !can(grantor, p, opts.siteId));
  if (beyond.length > 0) {
    throw new AppError('FORBIDDEN', `${opts.subject} cannot hold permissions you do not have: ${beyond.join(', ')}. Choose a smaller role, or ask an owner.`, opts.field);
  }
}

/** The caller's own access in a tenant, as plain lists, so the console shows only the controls that will work. */
export async function describeMyAccess(db: Db, args: { tenantId: string; actor: Actor }) {
  const access = await withTenant(db, args.tenantId, (tx) => resolveAccess(tx, args.tenantId, args.actor));
  if (!access) throw notFound('tenant');
  return {
    tenantPermissions: [...access.tenantPermissions].sort(),
    sites: [...access.sitePermissions].map(([siteId, perms]) => ({ siteId, permissions: [...perms].sort() })),
  };
}
