import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { type Db, withSecretLookup, withTenant } from '@/db/client';
import { apiTokens } from '@/db/schema';
import type { AccessGrant } from '@/lib/access/permissions';
import { formatRoleRef } from '@/lib/access/role-ref';
import { hashSecret, newSecret } from '@/lib/crypto/secret-token';
import type { Actor, Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { BoundedTtlMap } from '@/lib/cache/bounded-ttl-map';
import { assertGrantable, customRolePermissions, tenantRolePermissions, tokenUsable } from '@/server/services/access';
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

type TokenActor = Extract<Actor, { type: 'token' }>;

// A token's identity (id, tenant, name, creator) never changes, so it is kept by the hash of its secret for a while;
// whether it still works is read fresh wherever it is used (see identifyToken).
const identities = new BoundedTtlMap<string, { actor: TokenActor; lastUsedWrittenAt: number }>({ maxEntries: 10_000, ttlMs: 5 * 60_000 });

async function noteUse(db: Db, actor: TokenActor, lastUsedAt: Date | null): Promise<number> {
  const now = new Date();
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() <= LAST_USED_RESOLUTION_MS) return lastUsedAt.getTime();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // A revoked token still being tried (and refused) is not "used".
  await withTenant(db, actor.tenantId, (tx) => tx.update(apiTokens).set({ lastUsedAt: now })
    .where(and(eq(apiTokens.tenantId, actor.tenantId), eq(apiTokens.id, actor.tokenId), isNull(apiTokens.revokedAt), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, stale)))));
  return now.getTime();
}

/** Resolves a bearer secret to its token actor, or null when unknown, revoked or expired. Always reads the row. */
export async function authenticateToken(db: Db, secret: string): Promise<TokenActor | null> {
  if (!secret.startsWith(`${TOKEN_PREFIX}_`) || secret.length > 200) return null;
  const hash = hashSecret(secret);
  const [row] = await withSecretLookup(db, 'app.token_hash', hash, (tx) => tx.select().from(apiTokens).where(eq(apiTokens.tokenHash, hash)));
  if (!row || !tokenUsable(row)) {
    identities.delete(hash);
    return null;
  }
  const actor: TokenActor = { type: 'token', tokenId: row.id, tenantId: row.tenantId, name: row.name, createdBy: row.createdBy };
  identities.set(hash, { actor, lastUsedWrittenAt: await noteUse(db, actor, row.lastUsedAt) });
  return actor;
}

/**
 * The token actor for a request: from memory when this secret was seen lately, else as authenticateToken.
 * It may since have been revoked, so only callers that check it afresh may rely on it: tenant procedures read the
 * token row in their own transaction (services/access.ts), and the rest call tokenStillUsable.
 */
export async function identifyToken(db: Db, secret: string): Promise<TokenActor | null> {
  if (!secret.startsWith(`${TOKEN_PREFIX}_`) || secret.length > 200) return null;
  const known = identities.get(hashSecret(secret));
  if (!known) return authenticateToken(db, secret);
  if (Date.now() - known.lastUsedWrittenAt > LAST_USED_RESOLUTION_MS) known.lastUsedWrittenAt = await noteUse(db, known.actor, null);
  return known.actor;
}

/** Whether the token behind an actor still works (not revoked, not expired), read now. */
export async function tokenStillUsable(db: Db, actor: TokenActor): Promise<boolean> {
  const [row] = await withTenant(db, actor.tenantId, (tx) => tx.select({ revokedAt: apiTokens.revokedAt, expiresAt: apiTokens.expiresAt })
    .from(apiTokens).where(and(eq(apiTokens.tenantId, actor.tenantId), eq(apiTokens.id, actor.tokenId))));
  return Boolean(row && tokenUsable(row));
}
