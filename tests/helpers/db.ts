import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, inject } from 'vitest';
import { connect, type DbHandle } from '@/db/client';
import type { Actor, Context } from '@/server/context';
import { createCaller } from '@/server/routers';
import { createTenant } from '@/server/services/tenants';
import { createUser } from '@/server/services/users';

let app: DbHandle | undefined;
let owner: DbHandle | undefined;

/** The app role's connection (RLS applies), shared by a test file and closed after it. */
export function appDb(): DbHandle {
  if (!app) {
    app = connect(inject('appDbUrl'), { max: 5 });
    afterAll(() => app?.close());
  }
  return app;
}

/** The owning role, for test set-up and tampering that the app itself cannot do. */
export function ownerDb(): DbHandle {
  if (!owner) {
    owner = connect(inject('ownerDbUrl'), { max: 2 });
    afterAll(() => owner?.close());
  }
  return owner;
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export type UserActor = Extract<Actor, { type: 'user' }>;

export async function makeUser(opts: { name?: string; isPlatformAdmin?: boolean } = {}): Promise<UserActor & { password: string }> {
  const email = `${unique('user')}@example.test`;
  const password = 'correct horse battery staple';
  const user = await createUser(appDb().db, { email, name: opts.name ?? 'Test User', password, isPlatformAdmin: opts.isPlatformAdmin });
  return { type: 'user', userId: user.id, email: user.email, name: user.name, isPlatformAdmin: user.isPlatformAdmin, password };
}

export function callerFor(actor: Actor | null, meta: Partial<Context['meta']> = {}) {
  return createCaller({ db: appDb().db, actor, meta: { requestId: randomUUID(), sourceIp: '127.0.0.1', userAgent: 'vitest', ...meta } });
}

const systemActor = (platform: UserActor) => ({ actor: platform, meta: { requestId: 'test-setup', sourceIp: null, userAgent: null } });

/** A tenant with an owner, created the way a platform operator would. */
export async function makeTenant(label = 'tenant') {
  const platform = await makeUser({ isPlatformAdmin: true });
  const ownerUser = await makeUser({ name: `${label} owner` });
  const tenant = await createTenant(appDb().db, { slug: unique(label), name: `Tenant ${label}`, ownerEmail: ownerUser.email, ...systemActor(platform) });
  return { tenant, owner: ownerUser, ownerCaller: callerFor(ownerUser), platform };
}

/** Adds a user to a tenant with a tenant role (or none) and optional site grants, through the real procedures. */
export async function addMember(ownerCaller: ReturnType<typeof callerFor>, tenantId: string, role: string | null, grants: { siteId: string; role: string }[] = []) {
  const user = await makeUser();
  const { secret } = await ownerCaller.invitations.create({ tenantId, email: user.email, role: role ?? null, siteId: grants[0]?.siteId ?? null, siteRole: grants[0]?.role ?? null });
  await callerFor(user).invitations.accept({ secret });
  for (const g of grants.slice(1)) await ownerCaller.delegation.grant({ tenantId, siteId: g.siteId, userId: user.userId, role: g.role });
  return { user, caller: callerFor(user) };
}

/** The Postgres message behind a failed drizzle query (drizzle wraps it as the cause). */
export async function pgFailure(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return cause?.message ?? String(err);
  }
  throw new Error('expected the query to fail, but it succeeded');
}

/**
 * Runs raw SQL as the table owner with row-level security lifted for the one transaction: what a malicious
 * database owner could do to the audit trail, for the tests that prove verification catches it.
 */
export async function asOwnerWithoutRls(statements: (tx: Parameters<Parameters<DbHandle['db']['transaction']>[0]>[0]) => Promise<unknown>): Promise<void> {
  await ownerDb().db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log no force row level security`);
    await statements(tx);
    await tx.execute(sql`alter table audit_log force row level security`);
  });
}
