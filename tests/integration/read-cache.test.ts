import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/server/context';
import { metrics } from '@/server/metrics';
import { addMember, callerFor, makeTenant, ownerDb } from '../helpers/db';
import { baseUrl, onFreshConnection, signInCookie } from '../helpers/http';

// The site list is kept in memory per caller and answered again after one read of the tenant's cache_version, which
// database triggers move on every write it depends on (server/read-cache.ts, migration 0011). Each test warms the
// kept answers of every HTTP worker, changes something one way, and expects the very next answers to show it.

type Auth = { bearer: string } | { cookie: string };
type Tenant = Awaited<ReturnType<typeof makeTenant>>;

/** Four lists, each on a fresh connection: the server's two workers take turns, so each answers twice. */
async function listFromEveryWorker(tenantId: string, auth: Auth) {
  const headers: Record<string, string> = 'bearer' in auth ? { authorization: `Bearer ${auth.bearer}` } : { cookie: auth.cookie };
  const answers = [];
  for (let i = 0; i < 4; i++) answers.push(await onFreshConnection('GET', `${baseUrl()}/api/v1/tenants/${tenantId}/sites`, headers));
  return answers;
}

async function expectSiteNames(tenantId: string, auth: Auth, names: string[]) {
  for (const { status, text } of await listFromEveryWorker(tenantId, auth)) {
    expect(status, text).toBe(200);
    expect((JSON.parse(text) as { name: string }[]).map((s) => s.name)).toEqual(names);
  }
}

async function expectRefused(tenantId: string, auth: Auth, status: number) {
  const answers = await listFromEveryWorker(tenantId, auth);
  expect(answers.map((a) => a.status)).toEqual([status, status, status, status]);
}

/** Statements as the owner inside one transaction that names the tenant, as the policies require. */
async function asOwnerInTenant(tenantId: string, statements: (tx: import('postgres').TransactionSql) => Promise<unknown>) {
  await ownerDb().sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenantId}, true)`;
    await statements(tx);
  });
}

async function cacheVersion(tenantId: string): Promise<number | null> {
  const [row] = await ownerDb().sql<{ v: string }[]>`select cache_version as v from tenants where id = ${tenantId}`;
  return row ? Number(row.v) : null;
}

async function cacheReads(result: 'hit' | 'miss'): Promise<number> {
  const counter = (await metrics().registry.getSingleMetric('switchyard_read_cache_total')?.get())?.values ?? [];
  return counter.find((v) => v.labels.procedure === 'sites.list' && v.labels.result === result)?.value ?? 0;
}

async function mintToken(caller: ReturnType<typeof callerFor>, tenantId: string, role = 'admin') {
  const { token, summary } = await caller.tokens.create({ tenantId, name: `cache ${role}`, role });
  return { bearer: token, tokenId: summary.id };
}

let world: Tenant;

beforeAll(async () => {
  world = await makeTenant('cache');
  for (const name of ['Bravo plant', 'Alpha plant']) await world.ownerCaller.sites.create({ tenantId: world.tenant.id, slug: name.split(' ')[0]!.toLowerCase(), name });
});

describe('the kept site list', () => {
  it('is answered again from memory after one version read, per caller, and cannot be changed by whoever gets it', async () => {
    const tenantId = world.tenant.id;
    const { tokenId } = await mintToken(world.ownerCaller, tenantId);
    const tokenActor: Actor = { type: 'token', tokenId, tenantId, name: 'cache admin', createdBy: world.owner.userId };
    const [hits, misses] = [await cacheReads('hit'), await cacheReads('miss')];

    const first = await callerFor(tokenActor).sites.list({ tenantId });
    const again = await callerFor(tokenActor).sites.list({ tenantId });
    const third = await callerFor(tokenActor).sites.list({ tenantId });
    expect(again).toEqual(first);
    expect(third.map((s) => s.name)).toEqual(['Alpha plant', 'Bravo plant']);
    expect([await cacheReads('hit') - hits, await cacheReads('miss') - misses]).toEqual([2, 1]);

    // Another caller of the same tenant has answers of its own: its first list is read afresh.
    await world.ownerCaller.sites.list({ tenantId });
    expect(await cacheReads('miss') - misses).toBe(2);

    expect(Object.isFrozen(third) && Object.isFrozen(third[0])).toBe(true);
    expect(() => (third as unknown as unknown[]).push({})).toThrow(TypeError);
    expect((await callerFor(tokenActor).sites.list({ tenantId })).length).toBe(2);
  });

  it('shows a site created, renamed in SQL behind the app\'s back, or deleted, in the very next answers of every worker', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-sites');
    const auth = { bearer: (await mintToken(ownerCaller, tenant.id)).bearer };
    const created = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'north', name: 'North' });
    await expectSiteNames(tenant.id, auth, ['North']);

    const south = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'south', name: 'South' });
    await expectSiteNames(tenant.id, auth, ['North', 'South']);

    await asOwnerInTenant(tenant.id, (tx) => tx`update sites set name = 'North (renamed in SQL)' where id = ${created.id}`);
    await expectSiteNames(tenant.id, auth, ['North (renamed in SQL)', 'South']);

    await ownerCaller.sites.delete({ tenantId: tenant.id, siteId: south.id });
    await expectSiteNames(tenant.id, auth, ['North (renamed in SQL)']);
  });

  it('stops a revoked token, a token whose creator left, and a token past its expiry at once, though their answers were kept', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-tokens');
    await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'plant', name: 'Plant' });

    const revoked = await mintToken(ownerCaller, tenant.id);
    await expectSiteNames(tenant.id, revoked, ['Plant']);
    await ownerCaller.tokens.revoke({ tenantId: tenant.id, tokenId: revoked.tokenId });
    await expectRefused(tenant.id, revoked, 401);

    const admin = await addMember(ownerCaller, tenant.id, 'admin');
    const orphaned = await mintToken(admin.caller, tenant.id, 'member');
    await expectSiteNames(tenant.id, orphaned, ['Plant']);
    await ownerCaller.members.remove({ tenantId: tenant.id, userId: admin.user.userId });
    await expectRefused(tenant.id, orphaned, 404);

    // The expiry is set in SQL, which moves the version; the kept answers made after it must still lapse on time.
    const lapsing = await mintToken(ownerCaller, tenant.id);
    await asOwnerInTenant(tenant.id, (tx) => tx`update api_tokens set expires_at = now() + interval '3 seconds' where id = ${lapsing.tokenId}`);
    const lapsesAt = Date.now() + 3_000;
    await expectSiteNames(tenant.id, lapsing, ['Plant']);
    await sleep(lapsesAt - Date.now() + 300);
    await expectRefused(tenant.id, lapsing, 401);
  });

  it('takes a site from a delegated operator the moment the grant goes (a person, by session)', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-grants');
    const east = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'east', name: 'East' });
    await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'west', name: 'West' });
    const operator = await addMember(ownerCaller, tenant.id, null, [{ siteId: east.id, role: 'operator' }]);
    const auth = { cookie: await signInCookie(operator.user.email, operator.user.password) };
    await expectSiteNames(tenant.id, auth, ['East']);

    await ownerCaller.delegation.revoke({ tenantId: tenant.id, siteId: east.id, userId: operator.user.userId });
    await expectSiteNames(tenant.id, auth, []);
    await ownerCaller.members.changeRole({ tenantId: tenant.id, userId: operator.user.userId, role: 'member' });
    await expectSiteNames(tenant.id, auth, ['East', 'West']);
    await ownerCaller.members.remove({ tenantId: tenant.id, userId: operator.user.userId });
    await expectRefused(tenant.id, auth, 404);
  });

  it('keeps a person\'s lists of two tenants apart', async () => {
    const other = await makeTenant('cache-second');
    await other.ownerCaller.sites.create({ tenantId: other.tenant.id, slug: 'elsewhere', name: 'Elsewhere' });
    const { secret } = await other.ownerCaller.invitations.create({ tenantId: other.tenant.id, email: world.owner.email, role: 'member', siteId: null, siteRole: null });
    await world.ownerCaller.invitations.accept({ secret });
    // Both tenants at one version (a new one, which nothing kept holds): only the key can tell their answers apart.
    await ownerDb().sql`update tenants set cache_version = 1000000 where id in (${world.tenant.id}, ${other.tenant.id})`;
    for (let round = 0; round < 2; round++) {
      expect((await world.ownerCaller.sites.list({ tenantId: other.tenant.id })).map((s) => s.name)).toEqual(['Elsewhere']);
      expect((await world.ownerCaller.sites.list({ tenantId: world.tenant.id })).map((s) => s.name)).toEqual(['Alpha plant', 'Bravo plant']);
    }
  });
});

describe('the tenant cache version', () => {
  it('moves with a write to each table a kept answer depends on, not with a token\'s use or a rolled-back write', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-version');
    const site = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'vee', name: 'Vee' });
    const { tokenId } = await mintToken(ownerCaller, tenant.id);
    const role = await ownerCaller.roles.create({ tenantId: tenant.id, name: 'Watcher', description: '', permissions: ['site:read'] });
    const operator = await addMember(ownerCaller, tenant.id, null, [{ siteId: site.id, role: 'viewer' }]);

    const writes: [string, (tx: import('postgres').TransactionSql) => Promise<unknown>][] = [
      ['sites', (tx) => tx`update sites set description = 'changed' where id = ${site.id}`],
      ['memberships', (tx) => tx`update memberships set role = 'admin' where user_id = ${operator.user.userId}`],
      ['site_grants', (tx) => tx`update site_grants set role = 'operator' where user_id = ${operator.user.userId}`],
      ['custom_roles', (tx) => tx`update custom_roles set description = 'changed' where id = ${role.id}`],
      ['api_tokens', (tx) => tx`update api_tokens set name = 'renamed' where id = ${tokenId}`],
      ['a new custom role', (tx) => tx`insert into custom_roles (tenant_id, name, permissions) values (${tenant.id}, 'Spare', '{site:read}')`],
      ['a deleted custom role', (tx) => tx`delete from custom_roles where tenant_id = ${tenant.id} and name = 'Spare'`],
      ['a deleted token', (tx) => tx`delete from api_tokens where id = ${tokenId}`],
      ['a deleted site grant', (tx) => tx`delete from site_grants where user_id = ${operator.user.userId}`],
      ['a removed member', (tx) => tx`delete from memberships where user_id = ${operator.user.userId}`],
    ];
    for (const [table, write] of writes) {
      const before = await cacheVersion(tenant.id);
      await asOwnerInTenant(tenant.id, write);
      expect(await cacheVersion(tenant.id), table).toBeGreaterThan(before!);
    }

    const settled = await cacheVersion(tenant.id);
    await asOwnerInTenant(tenant.id, (tx) => tx`update api_tokens set last_used_at = now() where id = ${tokenId}`);
    const abandoned = asOwnerInTenant(tenant.id, async (tx) => {
      await tx`update sites set name = 'never' where id = ${site.id}`;
      throw new Error('abandon the write');
    });
    await expect(abandoned).rejects.toThrow('abandon the write');
    expect(await cacheVersion(tenant.id)).toBe(settled);
  });

  it('is locked only at commit: a member\'s removal and a change of their role, interleaved, both go through', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-locks');
    const site = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'locks', name: 'Locks' });
    const { user } = await addMember(ownerCaller, tenant.id, 'member', [{ siteId: site.id, role: 'viewer' }]);
    let grantsGone!: () => void;
    const removalStarted = new Promise<void>((resolve) => { grantsGone = resolve; });
    // The removal deletes the grants, then (once the role change holds the membership row) the membership; the role
    // change commits after a pause. Had the grants' write locked the tenant row, the two would wait on each other.
    const removal = asOwnerInTenant(tenant.id, async (tx) => {
      await tx`delete from site_grants where user_id = ${user.userId}`;
      grantsGone();
      await sleep(150);
      await tx`delete from memberships where user_id = ${user.userId}`;
    });
    const roleChange = asOwnerInTenant(tenant.id, async (tx) => {
      await removalStarted;
      await tx`update memberships set role = 'admin' where user_id = ${user.userId}`;
      await sleep(400);
    });
    await expect(Promise.all([removal, roleChange])).resolves.toBeDefined();
    const [left] = await ownerDb().sql<{ n: number }[]>`select count(*)::int as n from memberships where user_id = ${user.userId}`;
    expect(left!.n).toBe(0);
  });

  it('goes with a deleted tenant, whose kept answers then stop', async () => {
    const { tenant, ownerCaller } = await makeTenant('cache-gone');
    await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'gone', name: 'Gone' });
    const token = await mintToken(ownerCaller, tenant.id);
    await expectSiteNames(tenant.id, token, ['Gone']);
    await ownerDb().sql`delete from tenants where id = ${tenant.id}`; // cascades through every table with a trigger
    expect(await cacheVersion(tenant.id)).toBeNull();
    await expectRefused(tenant.id, token, 401);
  });
});
