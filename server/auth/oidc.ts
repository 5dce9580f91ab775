import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import type { RequestMeta } from '@/server/context';
import { auditSignIn } from '@/server/auth/sign-in';
import { findUserByEmail } from '@/server/services/users';

/**
 * Finds the account for an OpenID Connect sign-in: by subject, else by a verified email (then remembers the subject).
 * Accounts are not created here: a person joins a tenant through an invitation, then may sign in with the provider.
 * Every outcome is audited like a password sign-in, marked `method: oidc`.
 */
export async function linkOidcUser(db: Db, args: {
  subject: string; email: string | null; name: string; emailVerified: boolean; meta: RequestMeta;
}): Promise<string | null> {
  const who = args.email ?? `oidc subject ${args.subject}`;
  const deny = async (reason: string, userId?: string) => {
    await auditSignIn(db, who, 'denied', args.meta, { reason, userId, method: 'oidc' });
    return null;
  };
  const [bySubject] = await db.select().from(users).where(eq(users.oidcSubject, args.subject));
  let userId = bySubject?.id;
  if (!userId) {
    if (!args.email || !args.emailVerified) return deny('no linked account and no verified email');
    const byEmail = await findUserByEmail(db, args.email);
    if (!byEmail) return deny('no account with this email');
    // Another identity at the provider already holds this account: a second one with the same email does not take it over.
    if (byEmail.oidcSubject) return deny('account linked to another identity', byEmail.id);
    // Only if still unlinked: two identities signing in at once must not both take the account.
    const [linked] = await db.update(users).set({ oidcSubject: args.subject })
      .where(and(eq(users.id, byEmail.id), isNull(users.oidcSubject))).returning({ id: users.id });
    if (!linked) return deny('account linked to another identity', byEmail.id);
    userId = linked.id;
  }
  await auditSignIn(db, who, 'success', args.meta, { userId, method: 'oidc' });
  return userId;
}
