import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { type Db, withSecretLookup, withTenant } from '@/db/client';
import { apiTokens } from '@/db/schema';
import type { AccessGrant } from '@/lib/access/permissions';
import { formatRoleRef } from '@/lib/access/role-ref';
import { hashSecret, newSecret } from '@/lib/crypto/secret-token';
import type { Actor, Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { assertGrantable, customRolePermissions, tenantRolePermissions } from '@/server/services/access';
import { recordAudit } from '@/server/services/audit';
import { resolveRoleRef } from '@/server/services/roles';

export const TOKEN_PREFIX = 'sy';
// last_used_at is written at most this often, so a busy CI token does not turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;


export function describeToken(row: typeof apiTokens.$inferSelect) {
  return {
    id: row.id, name: row.name, prefix: row.prefix, role: formatRoleRef(row) ?? '',
    createdAt: row.createdAt, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt, revokedAt: row.revokedAt,
  };
}
export type TokenSummary = ReturnType<typeof describeToken>;

/** Creates a token; the secret is returned once and only its hash is kept. */
export async function createToken(db: Db, args: {
  tenantId: string; name: string; role: string; expiresInDays?: number; creatorAccess: AccessGrant;
} & Who): Promise<{ token: string; summary: TokenSummary }> {
  if (args.actor.type !== 'user') throw new AppError('FORBIDDEN', 'API tokens are created by people, not by other tokens.');
  const createdBy = args.actor.userId;
  return withTenant(db, args.tenantId, async (tx) => {
    const ref = await resolveRoleRef(tx, args.tenantId, args.role, 'tenant');
    // No escalation: a token may not do anything its creator may not.
    const granted = tenantRolePermissions(ref, await customRolePermissions(tx, args.tenantId));
    assertGrantable(args.creatorAccess, granted, { subject: 'A token', field: 'role' });
    const { secret, hash, display } = newSecret(TOKEN_PREFIX);
    const expiresAt = args.expiresInDays ? new Date(Date.now() + args.expiresInDays * 86_400_000) : null;
    const [row] = await tx.insert(apiTokens).values({ tenantId: args.tenantId, name: args.name, prefix: display, tokenHash: hash, ...ref, createdBy, expiresAt }).returning();
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'token.create', resourceType: 'api_token', resourceId: row!.id, changes: { name: args.name, role: args.role, expiresAt } });
    return { token: secret, summary: describeToken(row!) };
  });
}

export async function listTokens(db: Db, args: { tenantId: string }): Promise<TokenSummary[]> {
  const rows = await withTenant(db, args.tenantId, (tx) => tx.select().from(apiTokens).where(eq(apiTokens.tenantId, args.tenantId)).orderBy(desc(apiTokens.createdAt)));
  return rows.map(describeToken);
}

export async function revokeToken(db: Db, args: { tenantId: string; tokenId: string } & Who): Promise<TokenSummary> {
  return withTenant(db, args.tenantId, async (tx) => {
    const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.tenantId, args.tenantId), eq(apiTokens.id, args.tokenId), isNull(apiTokens.revokedAt))).returning();
    if (!row) throw notFound('active API token');
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'token.revoke', resourceType: 'api_token', resourceId: row.id, changes: { name: row.name } });
    return describeToken(row);
  });
}

/** Resolves a bearer secret to its token actor, or null when unknown, revoked or expired. */
export async function authenticateToken(db: Db, secret: string): Promise<Extract<Actor, { type: 'token' }> | null> {
  if (!secret.startsWith(`${TOKEN_PREFIX}_`) || secret.length > 200) return null;
  const hash = hashSecret(secret);
  const [row] = await withSecretLookup(db, 'app.token_hash', hash, (tx) => tx.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)));
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await withTenant(db, row.tenantId, (tx) => tx.update(apiTokens).set({ lastUsedAt: now })
      .where(and(eq(apiTokens.tenantId, row.tenantId), eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale)))));
  }
  return { type: 'token', tokenId: row.id, tenantId: row.tenantId, name: row.name, createdBy: row.createdBy };
}
