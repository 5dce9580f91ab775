import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { findUserByEmail } from '@/server/services/users';

/**
 * Finds the account for an OpenID Connect sign-in: by subject, else by a verified email (then remembers the subject).
 * Accounts are not created here: a person joins a tenant through an invitation, then may sign in with the provider.
 */
export async function linkOidcUser(db: Db, args: { subject: string; email: string | null; name: string; emailVerified: boolean }): Promise<string | null> {
  const [bySubject] = await db.select().from(users).where(eq(users.oidcSubject, args.subject));
  if (bySubject) return bySubject.id;
  if (!args.email || !args.emailVerified) return null;
  const byEmail = await findUserByEmail(db, args.email);
  if (!byEmail) return null;
  await db.update(users).set({ oidcSubject: args.subject }).where(eq(users.id, byEmail.id));
  return byEmail.id;
}
