import { randomInt, randomUUID } from 'node:crypto';
import { asc, eq, inArray, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withPlatform } from '@/db/client';
import { auditLog, signInThrottles } from '@/db/schema';
import { verifyChain } from '@/lib/audit/chain';
import { signInWithPassword } from '@/server/auth/sign-in';
import { ACCOUNT_LOCK_AFTER, ADDRESS_LOCK_AFTER, accountKey, DEFAULT_THROTTLE_POLICY, throttleState } from '@/server/auth/throttle';
import { appDb, makeUser, ownerDb } from '../helpers/db';

// Sign-in against the real database. Every test signs in from its own address: the throttle is platform-wide
// and other test files share the database. The slow-down is shortened through its parameter, not a global.
const FAST = { delayStepMs: 1, maxDelayMs: 5 };
const freshAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const WRONG = 'not the right password at all';

function signIn(email: string, password: string, sourceIp: string, throttle = FAST) {
  return signInWithPassword(appDb().db, { email, password, meta: { requestId: randomUUID(), sourceIp, userAgent: 'vitest-auth' }, throttle });
}

/** The platform audit chain's sign-in entries for these emails, read as the owner. */
async function signInAudit(...emails: string[]) {
  return withPlatform(ownerDb().db, (tx) => tx.select().from(auditLog)
    .where(inArray(auditLog.actorLabel, emails)).orderBy(asc(auditLog.id)));
}

async function throttleRow(email: string) {
  const [row] = await ownerDb().db.select().from(signInThrottles).where(eq(signInThrottles.key, accountKey(email)));
  return row;
}

describe('signInWithPassword', () => {
  it('signs in with the right password, whatever the case and spacing of the email', async () => {
    const user = await makeUser({ name: 'Ada' });
    const result = await signIn(`  ${user.email.toUpperCase()} `, user.password, freshAddress());
    expect(result).toEqual({ ok: true, actor: { type: 'user', userId: user.userId, email: user.email, name: 'Ada', isPlatformAdmin: false } });
  });

  it('answers a wrong password and an unknown account alike, and audits both as denied', async () => {
    const user = await makeUser();
    const ghost = `${randomUUID()}@nobody.test`;
    const ip = freshAddress();
    const wrong = await signIn(user.email, WRONG, ip);
    const unknown = await signIn(ghost, WRONG, ip);
    expect(wrong).toEqual({ ok: false, reason: 'invalid' });
    expect(unknown).toEqual(wrong);
    const entries = await signInAudit(user.email, ghost);
    expect(entries.map((e) => ({ label: e.actorLabel, result: e.result, resourceId: e.resourceId, changes: e.changes, ip: e.sourceIp }))).toEqual([
      { label: user.email, result: 'denied', resourceId: user.userId, changes: { reason: 'bad credentials' }, ip },
      { label: ghost, result: 'denied', resourceId: null, changes: { reason: 'bad credentials' }, ip },
    ]);
  });

  it(`locks an account after ${ACCOUNT_LOCK_AFTER} failures: even the right password is refused, with a retry time`, async () => {
    const user = await makeUser();
    const ip = freshAddress();
    for (let n = 0; n < ACCOUNT_LOCK_AFTER; n++) expect(await signIn(user.email, WRONG, ip)).toMatchObject({ reason: 'invalid' });
    const locked = await signIn(user.email, user.password, ip);
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });
    expect(locked.ok === false && locked.retryAfterSeconds).toBeGreaterThan(50);
    expect(locked.ok === false && locked.retryAfterSeconds).toBeLessThanOrEqual(60);
    // The lock is on the account, so another address does not get round it.
    expect(await signIn(user.email, user.password, freshAddress())).toMatchObject({ reason: 'locked' });
    expect((await signInAudit(user.email)).at(-1)).toMatchObject({ result: 'denied', changes: { reason: 'locked' } });
  });

  it(`locks an address after ${ADDRESS_LOCK_AFTER} failures across different accounts`, async () => {
    const ip = freshAddress();
    const victim = await makeUser();
    for (let n = 0; n < ADDRESS_LOCK_AFTER; n++) await signIn(`${randomUUID()}@spray.test`, WRONG, ip);
    expect(await signIn(victim.email, victim.password, ip)).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(victim.email, victim.password, freshAddress())).toMatchObject({ ok: true });
  });

  it('a success clears the account counter, so earlier failures no longer count toward a lock', async () => {
    const user = await makeUser();
    const ip = freshAddress();
    for (let n = 0; n < ACCOUNT_LOCK_AFTER - 1; n++) await signIn(user.email, WRONG, ip);
    expect(await throttleRow(user.email)).toMatchObject({ failures: ACCOUNT_LOCK_AFTER - 1 });
    expect(await signIn(user.email, user.password, ip)).toMatchObject({ ok: true });
    expect(await throttleRow(user.email)).toBeUndefined();
    for (let n = 0; n < ACCOUNT_LOCK_AFTER - 1; n++) await signIn(user.email, WRONG, ip);
    expect(await signIn(user.email, user.password, ip)).toMatchObject({ ok: true });
  });

  it('slows down after failures: by the given step, and by 200 ms a failure by default', async () => {
    const user = await makeUser();
    const ip = freshAddress();
    for (let n = 0; n < 3; n++) await signIn(user.email, WRONG, ip);
    expect(await throttleState(appDb().db, [accountKey(user.email)])).toEqual({ lockedForMs: 0, delayMs: 3 * DEFAULT_THROTTLE_POLICY.delayStepMs });
    const started = performance.now();
    await signIn(user.email, user.password, ip, { delayStepMs: 60, maxDelayMs: 1_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(175);
    expect(DEFAULT_THROTTLE_POLICY).toEqual({ delayStepMs: 200, maxDelayMs: 2_000 });
  });

  it('audits every outcome on the platform chain without the password anywhere, and the chain verifies', async () => {
    const user = await makeUser();
    const ip = freshAddress();
    await signIn(user.email, WRONG, ip);
    await signIn(user.email, user.password, ip);
    const entries = await signInAudit(user.email);
    expect(entries.map((e) => [e.tenantId, e.action, e.result, e.actorType])).toEqual([
      [null, 'auth.sign_in', 'denied', 'anonymous'],
      [null, 'auth.sign_in', 'success', 'anonymous'],
    ]);
    expect(entries[1]).toMatchObject({ resourceId: user.userId, sourceIp: ip, userAgent: 'vitest-auth' });
    for (const e of entries) {
      const stored = JSON.stringify(e);
      expect(stored).not.toContain(WRONG);
      expect(stored).not.toContain(user.password);
    }
    const chain = await withPlatform(ownerDb().db, (tx) => tx.select().from(auditLog).where(isNull(auditLog.tenantId)).orderBy(asc(auditLog.id)));
    expect(verifyChain(chain)).toMatchObject({ ok: true });
    expect(chain.map((e) => e.id)).toEqual(expect.arrayContaining(entries.map((e) => e.id)));
  });
});
