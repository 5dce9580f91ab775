import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { signInThrottles } from '@/db/schema';

// Failed sign-ins slow down, then lock, per account and per source address.
export const ACCOUNT_LOCK_AFTER = 5;
export const ADDRESS_LOCK_AFTER = 20;
const BASE_LOCK_MS = 60_000;
const MAX_LOCK_MS = 30 * 60_000;
/** How much each recent failure slows the next attempt. A parameter, so tests can shorten it without a global. */
export interface ThrottlePolicy { delayStepMs: number; maxDelayMs: number }
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { delayStepMs: 200, maxDelayMs: 2_000 };

// Failures older than this no longer count.
const FORGET_AFTER_MS = 60 * 60_000;

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string | null) => `address:${ip ?? 'unknown'}`;

export interface ThrottleState { lockedForMs: number; delayMs: number }

export async function throttleState(db: Db, keys: string[], now = new Date(), policy = DEFAULT_THROTTLE_POLICY): Promise<ThrottleState> {
  const rows = await db.select().from(signInThrottles).where(inArray(signInThrottles.key, keys));
  let lockedForMs = 0;
  let failures = 0;
  for (const r of rows) {
    if (r.lockedUntil && r.lockedUntil > now) lockedForMs = Math.max(lockedForMs, r.lockedUntil.getTime() - now.getTime());
    const recent = r.lastFailureAt && now.getTime() - r.lastFailureAt.getTime() < FORGET_AFTER_MS;
    if (recent) failures = Math.max(failures, r.failures);
  }
  return { lockedForMs, delayMs: Math.min(failures * policy.delayStepMs, policy.maxDelayMs) };
}

function lockMs(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** (failures - threshold), MAX_LOCK_MS);
}

export async function recordFailure(db: Db, keys: { account: string; address: string }, now = new Date()): Promise<void> {
  for (const [key, threshold] of [[keys.account, ACCOUNT_LOCK_AFTER], [keys.address, ADDRESS_LOCK_AFTER]] as const) {
    const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
    const [row] = await db.insert(signInThrottles).values({ key, failures: 1, lastFailureAt: now })
      .onConflictDoUpdate({
        target: signInThrottles.key,
        set: {
          // A raw sql parameter gets no column type, and postgres.js cannot send a Date untyped: pass text, cast.
          failures: sql`case when ${signInThrottles.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${signInThrottles.failures} + 1 end`,
          lastFailureAt: now,
        },
      }).returning();
    const ms = lockMs(row!.failures, threshold);
    if (ms > 0) await db.update(signInThrottles).set({ lockedUntil: new Date(now.getTime() + ms) }).where(eq(signInThrottles.key, key));
  }
}

export async function clearFailures(db: Db, accountKeyValue: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, accountKeyValue));
}
