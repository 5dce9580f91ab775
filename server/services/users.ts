import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { users } from '@/db/schema';
import { hashPassword } from '@/server/auth/password';
import { AppError, isUniqueViolation } from '@/server/errors';

export type User = typeof users.$inferSelect;

export async function createUser(db: DbOrTx, args: { email: string; name: string; password: string; isPlatformAdmin?: boolean }): Promise<User> {
  const email = args.email.trim().toLowerCase();
  try {
    const [row] = await db.insert(users).values({
      email, name: args.name, passwordHash: await hashPassword(args.password), isPlatformAdmin: args.isPlatformAdmin ?? false,
    }).returning();
    return row!;
  } catch (err) {
    if (isUniqueViolation(err, 'users_email_lower_idx')) throw new AppError('CONFLICT', `An account with ${email} already exists. Sign in instead.`, 'email');
    throw err;
  }
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

/** Public fields only: never the password hash. */
export function publicUser(u: User) {
  return { id: u.id, email: u.email, name: u.name };
}
