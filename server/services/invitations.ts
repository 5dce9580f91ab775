import { and, desc, eq, isNull, gt } from 'drizzle-orm';
import { type Db, withSecretLookup, withTenant } from '@/db/client';
import { invitations, memberships, sites, siteGrants, tenants } from '@/db/schema';
import type { AccessGrant } from '@/lib/access/permissions';
import { formatRoleRef, parseRoleRef } from '@/lib/access/role-ref';
import { hashSecret, newSecret } from '@/lib/crypto/secret-token';
import type { Actor, RequestMeta, Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { recordAudit } from '@/server/services/audit';
import { assertGrantable } from '@/server/services/access';
import { assertActorIsOwner, permissionsOfRef } from '@/server/services/members';
import { resolveRoleRef } from '@/server/services/roles';
import { createUser, findUserByEmail } from '@/server/services/users';

export const INVITATION_PREFIX = 'syi';
export const INVITATION_DAYS = 7;

type InvitationRow = typeof invitations.$inferSelect;

function status(row: InvitationRow, now = new Date()): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now ? 'expired' : 'pending';
}

export function describeInvitation(row: InvitationRow) {
  return { id: row.id, email: row.email, role: formatRoleRef(row), siteId: row.siteId, siteRole: row.siteRole,
    status: status(row), expiresAt: row.expiresAt, createdAt: row.createdAt };
}

/**
 * Invites a person by email with a tenant role, or with a site grant only (a delegated operator), or both.
 * Returns the one-time secret; the link is built by the caller from it.
 */
export async function createInvitation(db: Db, args: {
  tenantId: string; email: string; role: string | null; siteId: string | null; siteRole: string | null; grantorAccess: AccessGrant;
} & Who) {
  if (args.actor.type !== 'user') throw new AppError('FORBIDDEN', 'Invitations are sent by people, not by API tokens.');
  const invitedBy = args.actor.userId;
  if (!args.role && !args.siteId) throw new AppError('BAD_REQUEST', 'Give a tenant role, or a site to delegate, or both.', 'role');
  if (Boolean(args.siteId) !== Boolean(args.siteRole)) throw new AppError('BAD_REQUEST', 'A site and a site role go together.', 'siteRole');
  const email = args.email.trim().toLowerCase();
  return withTenant(db, args.tenantId, async (tx) => {
    const ref = args.role ? await resolveRoleRef(tx, args.tenantId, args.role, 'tenant') : { role: null, customRoleId: null };
    if (ref.role === 'owner') await assertActorIsOwner(tx, { tenantId: args.tenantId, actor: args.actor });
    assertGrantable(args.grantorAccess, await permissionsOfRef(tx, args.tenantId, ref, 'tenant'), { subject: 'The invited role', field: 'role' });
    if (args.siteId && args.siteRole) {
      const [site] = await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId)));
      if (!site) throw new AppError('NOT_FOUND', 'That site does not exist in this tenant. Pick one from the sites list.', 'siteId');
      const siteRef = await resolveRoleRef(tx, args.tenantId, args.siteRole, 'site', 'siteRole');
      assertGrantable(args.grantorAccess, await permissionsOfRef(tx, args.tenantId, siteRef, 'site'), { subject: 'The invited site role', field: 'siteRole', siteId: args.siteId });
    }
    const existing = await findUserByEmail(tx, email);
    if (existing) {
      const [member] = await tx.select().from(memberships).where(and(eq(memberships.tenantId, args.tenantId), eq(memberships.userId, existing.id)));
      if (member) throw new AppError('CONFLICT', `${email} is already a member. Change their role or delegate a site instead.`, 'email');
    }
    const [pending] = await tx.select().from(invitations).where(and(eq(invitations.tenantId, args.tenantId), eq(invitations.email, email),
      isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, new Date())));
    if (pending) throw new AppError('CONFLICT', `${email} already has a pending invitation. Revoke it to send a new one.`, 'email');
    const { secret, hash } = newSecret(INVITATION_PREFIX);
    const [row] = await tx.insert(invitations).values({
      tenantId: args.tenantId, email, ...ref, siteId: args.siteId, siteRole: args.siteRole, tokenHash: hash, invitedBy,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
    }).returning();
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'invitation.create', resourceType: 'invitation', resourceId: row!.id, changes: { email, role: args.role, siteId: args.siteId, siteRole: args.siteRole } });
    return { secret, invitation: describeInvitation(row!) };
  });
}

export async function listInvitations(db: Db, args: { tenantId: string }) {
  const rows = await withTenant(db, args.tenantId, (tx) => tx.select().from(invitations).where(eq(invitations.tenantId, args.tenantId)).orderBy(desc(invitations.createdAt)));
  return rows.map(describeInvitation);
}

export async function revokeInvitation(db: Db, args: { tenantId: string; invitationId: string } & Who) {
  return withTenant(db, args.tenantId, async (tx) => {
    const [row] = await tx.update(invitations).set({ revokedAt: new Date() }).where(and(eq(invitations.tenantId, args.tenantId),
      eq(invitations.id, args.invitationId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))).returning();
    if (!row) throw notFound('pending invitation');
    await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'invitation.revoke', resourceType: 'invitation', resourceId: row.id, changes: { email: row.email } });
    return describeInvitation(row);
  });
}

async function findBySecret(db: Db, secret: string): Promise<InvitationRow> {
  const hash = hashSecret(secret);
  const [row] = await withSecretLookup(db, 'app.invitation_hash', hash, (tx) => tx.select().from(invitations).where(eq(invitations.tokenHash, hash)));
  if (!row) throw new AppError('NOT_FOUND', 'This invitation link is not valid. Ask for a new invitation.');
  const state = status(row);
  if (state === 'accepted') throw new AppError('CONFLICT', 'This invitation has already been used. Sign in instead, or ask for a new invitation.');
  if (state === 'revoked') throw new AppError('PRECONDITION_FAILED', 'This invitation was withdrawn. Ask for a new one.');
  if (state === 'expired') throw new AppError('PRECONDITION_FAILED', `This invitation expired on ${row.expiresAt.toISOString().slice(0, 10)}. Ask for a new one.`);
  return row;
}

/** What the invitation page shows before accepting: which tenant, which email, whether an account exists. */
export async function previewInvitation(db: Db, secret: string) {
  const row = await findBySecret(db, secret);
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, row.tenantId));
  const hasAccount = Boolean(await findUserByEmail(db, row.email));
  return { tenantName: tenant?.name ?? '', email: row.email, hasAccount, role: formatRoleRef(row), siteRole: row.siteRole };
}

/**
 * Accepts an invitation: as the signed-in person (whose email must match), or by creating the account.
 * The membership, any site grant and the acceptance are one transaction, so a used link cannot be used twice.
 */
export async function acceptInvitation(db: Db, args: {
  secret: string; signedIn: Extract<Actor, { type: 'user' }> | null; newAccount?: { name: string; password: string }; meta: RequestMeta;
}) {
  const row = await findBySecret(db, args.secret);
  if (args.signedIn && args.signedIn.email !== row.email) {
    throw new AppError('FORBIDDEN', `This invitation is for ${row.email}, but you are signed in as ${args.signedIn.email}.`);
  }
  return db.transaction(async (outer) => {
    let userId = args.signedIn?.userId;
    if (!userId) {
      const existing = await findUserByEmail(outer, row.email);
      if (existing) throw new AppError('UNAUTHORIZED', `An account for ${row.email} exists. Sign in first, then open the link again.`);
      if (!args.newAccount) throw new AppError('BAD_REQUEST', 'Choose a name and a password to create your account.', 'password');
      userId = (await createUser(outer, { email: row.email, ...args.newAccount })).id;
    }
    const acceptedBy = userId;
    return withTenant(outer, row.tenantId, async (tx) => {
      const [claimed] = await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy })
        .where(and(eq(invitations.tenantId, row.tenantId), eq(invitations.id, row.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt))).returning();
      if (!claimed) throw new AppError('CONFLICT', 'This invitation has already been used.');
      await tx.insert(memberships).values({ tenantId: row.tenantId, userId: acceptedBy, role: row.role, customRoleId: row.customRoleId })
        .onConflictDoNothing();
      if (row.siteId && row.siteRole) {
        const siteRef = parseRoleRef(row.siteRole, 'site');
        if ('error' in siteRef) throw new AppError('PRECONDITION_FAILED', siteRef.error);
        await tx.insert(siteGrants).values({ tenantId: row.tenantId, siteId: row.siteId, userId: acceptedBy, ...siteRef }).onConflictDoNothing();
      }
      await recordAudit(tx, { tenantId: row.tenantId, actor: { type: 'anonymous', label: row.email }, meta: args.meta, action: 'invitation.accept', resourceType: 'invitation', resourceId: row.id, changes: { userId: acceptedBy } });
      return { tenantId: row.tenantId, userId: acceptedBy };
    });
  });
}

