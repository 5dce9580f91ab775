import { eq } from 'drizzle-orm';
import { type Db, withPlatform } from '@/db/client';
import { users } from '@/db/schema';
import type { Actor, RequestMeta } from '@/server/context';
import { burnPasswordCheck, verifyPassword } from '@/server/auth/password';
import { accountKey, addressKey, clearFailures, recordFailure, throttleState, type ThrottlePolicy } from '@/server/auth/throttle';
import { recordAudit } from '@/server/services/audit';

export type SignInResult =
  | { ok: true; actor: Extract<Actor, { type: 'user' }> }
  | { ok: false; reason: 'invalid' | 'locked'; retryAfterSeconds?: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One sign-in outcome on the platform's audit chain; `method` marks sign-ins other than a password. */
export async function auditSignIn(db: Db, who: string, result: 'success' | 'denied', meta: RequestMeta,
  details: { reason?: string; userId?: string; method?: 'oidc' } = {}) {
  const { reason, userId, method } = details;
  await withPlatform(db, (tx) => recordAudit(tx, {
    tenantId: null, actor: { type: 'anonymous', label: who.slice(0, 254) }, action: 'auth.sign_in', resourceType: 'user',
    resourceId: userId ?? null, result, meta, changes: { ...(method ? { method } : {}), ...(reason ? { reason } : {}) },
  }));
}

/** Email and password sign-in with per-account and per-address slow-down and lock-out; every outcome is audited. */
export async function signInWithPassword(db: Db, args: {
  email: string; password: string; meta: RequestMeta; throttle?: ThrottlePolicy;
}): Promise<SignInResult> {
  const email = args.email.trim().toLowerCase();
  const keys = { account: accountKey(email), address: addressKey(args.meta.sourceIp) };
  const state = await throttleState(db, [keys.account, keys.address], new Date(), args.throttle);
  if (state.lockedForMs > 0) {
    await auditSignIn(db, email, 'denied', args.meta, { reason: 'locked' });
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(state.lockedForMs / 1000) };
  }
  if (state.delayMs > 0) await sleep(state.delayMs);
  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = user?.passwordHash ? await verifyPassword(user.passwordHash, args.password) : (await burnPasswordCheck(args.password), false);
  if (!user || !valid) {
    await recordFailure(db, keys);
    await auditSignIn(db, email, 'denied', args.meta, { reason: 'bad credentials', userId: user?.id });
    return { ok: false, reason: 'invalid' };
  }
  await clearFailures(db, keys.account);
  await auditSignIn(db, email, 'success', args.meta, { userId: user.id });
  return { ok: true, actor: { type: 'user', userId: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin } };
}

export async function loadUserActor(db: Db, userId: string): Promise<Extract<Actor, { type: 'user' }> | null> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user ? { type: 'user', userId: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin } : null;
}
