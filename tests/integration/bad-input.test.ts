import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { authenticateToken } from '@/server/services/tokens';
import { addMember, appDb, callerFor, makeTenant, makeUser, ownerDb, unique } from '../helpers/db';
import { refusal, type Refusal } from './support/refusal';
import { deniedEntries, tenantSnapshot, withoutDenied } from './support/snapshot';
import { buildWorld, tokenCaller, type Caller, type World } from './support/world';

// Every refusal must say what is wrong (and name the field when there is one) and leave no trace: the tenant's
// rows, read as the owner, are the same afterwards, and the audit trail holds no success entry for it.

async function refusedWithoutWrites(tenantId: string, attempt: () => Promise<unknown>): Promise<Refusal> {
  const before = await tenantSnapshot(tenantId);
  const outcome = await refusal(attempt());
  expect(withoutDenied(await tenantSnapshot(tenantId))).toEqual(withoutDenied(before));
  return outcome;
}

const asOwner = (tenantId: string, statement: ReturnType<typeof sql>) =>
  withTenant(ownerDb().db, tenantId, (tx) => tx.execute(statement));

async function usersWithEmail(email: string): Promise<number> {
  const [row] = await ownerDb().db.execute(sql`select count(*)::int as n from users where lower(email) = lower(${email})`);
  return row!.n as number;
}

let w: World;
let admin: { user: { userId: string; email: string }; caller: Caller };
beforeAll(async () => {
  w = await buildWorld('bad');
  admin = await addMember(w.ownerCaller, w.tenantId, 'admin');
});

describe('names, slugs and emails', () => {
  it.each([
    ['not-an-email'], ['a@'], ['@example.com'], ['two words@example.com'], ['name@example.com\u0000'], [`${'x'.repeat(250)}@example.com`],
  ])('refuses the email %j with the field named', async (email) => {
    const r = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.create({ tenantId: w.tenantId, email, role: 'member' }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { email: [expect.stringMatching(/valid email address|at most 254 characters/)] } });
  });

  it('refuses a malformed owner email when creating a tenant', async () => {
    const platform = await makeUser({ isPlatformAdmin: true });
    const r = await refusal(callerFor(platform).platform.createTenant({ slug: unique('t'), name: 'T', ownerEmail: 'owner-at-example' }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { ownerEmail: [expect.stringContaining('valid email')] } });
  });

  it('keeps unicode and quote characters in names intact, everywhere they come back', async () => {
    const name = "Usine d'Orléans ☃";
    const description = 'The "north" hall <b>not bold</b> & \\ backslash';
    const site = await w.ownerCaller.sites.create({ tenantId: w.tenantId, slug: unique('orleans'), name, description });
    expect(site).toMatchObject({ name, description });
    expect(await w.ownerCaller.sites.get({ tenantId: w.tenantId, siteId: site.id })).toMatchObject({ name, description });
    expect((await w.ownerCaller.sites.list({ tenantId: w.tenantId })).map((s) => s.name)).toContain(name);
    const [entry] = await w.ownerCaller.audit.list({ tenantId: w.tenantId, resourceId: site.id });
    expect(entry!.changes).toMatchObject({ name });
    const role = await w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'Opérateurs "nuit" 夜', permissions: ['site:read'] });
    expect(role.name).toBe('Opérateurs "nuit" 夜');
  });

  it.each([
    ["usine-d'orléans"], ['orléans'], ['usine"x'], ['a b'], ['-ab'], ['ab-'], ['a'], ['x'.repeat(41)], ["x'; drop table sites; --"], ['☃☃'],
  ])('refuses the slug %j and says what a slug may be', async (slug) => {
    const r = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.sites.create({ tenantId: w.tenantId, slug, name: 'Plant' }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { slug: [expect.stringContaining('2 to 40 characters')] } });
  });

  it('accepts the shortest and longest slugs the rule allows', async () => {
    const [short, long] = ['q7', `l${'x'.repeat(38)}9`];
    await expect(w.ownerCaller.sites.create({ tenantId: w.tenantId, slug: short, name: 'Short' })).resolves.toMatchObject({ slug: short });
    await expect(w.ownerCaller.sites.create({ tenantId: w.tenantId, slug: long, name: 'Long' })).resolves.toMatchObject({ slug: long });
  });

  it.each([
    ['an empty name', '   ', /Name is required/],
    ['an overlong name', 'n'.repeat(101), /at most 100 characters/],
    ['a control character', 'North\u0007plant', /control characters/],
  ])('refuses %s', async (_what, name, message) => {
    const r = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.sites.create({ tenantId: w.tenantId, slug: unique('n'), name }));
    expect(r).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { name: [expect.stringMatching(message)] } });
  });

  it('refuses an overlong description, role name and token name', async () => {
    const long = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.sites.update({ tenantId: w.tenantId, siteId: w.siteId, description: 'd'.repeat(501) }));
    expect(long.fieldErrors).toEqual({ description: ['Description must be at most 500 characters'] });
    const role = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'r'.repeat(61), permissions: ['site:read'] }));
    expect(role.fieldErrors).toEqual({ name: ['Name must be at most 60 characters'] });
    const token = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.tokens.create({ tenantId: w.tenantId, name: 't'.repeat(61), role: 'viewer' }));
    expect(token.fieldErrors).toMatchObject({ name: ['Name must be at most 60 characters'] });
  });

  it('refuses duplicate slugs and names with the field named (case folded)', async () => {
    const site = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.sites.create({ tenantId: w.tenantId, slug: 'MAIN-PLANT', name: 'Again' }));
    expect(site).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"main-plant" already exists'), fieldErrors: { slug: [expect.any(String)] } });
    const renamed = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.sites.update({ tenantId: w.tenantId, siteId: w.otherSiteId, slug: 'main-plant' }));
    expect(renamed).toMatchObject({ code: 'CONFLICT', fieldErrors: { slug: [expect.stringContaining('main-plant')] } });
    const role = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'Site reader', permissions: ['site:read'] }));
    expect(role).toMatchObject({ code: 'CONFLICT', fieldErrors: { name: ['A role named "Site reader" already exists. Choose another name.'] } });
  });

  it('refuses a taken tenant slug', async () => {
    const { tenant, platform } = await makeTenant('taken');
    const r = await refusal(callerFor(platform).platform.createTenant({ slug: tenant.slug, name: 'Copy', ownerEmail: platform.email }));
    expect(r).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(tenant.slug), fieldErrors: { slug: [expect.any(String)] } });
  });
});

describe('invitations', () => {
  async function invite(email = `${unique('inv')}@example.test`) {
    const { secret, invitation } = await w.ownerCaller.invitations.create({ tenantId: w.tenantId, email, role: 'member' });
    return { secret, invitation, email };
  }
  const newAccount = { name: 'Zoë O\'Connor', password: 'a long enough password' };

  it('an expired invitation cannot be previewed or accepted, and creates no account', async () => {
    const { secret, invitation, email } = await invite();
    await asOwner(w.tenantId, sql`update invitations set expires_at = now() - interval '1 day' where id = ${invitation.id}`);
    expect(await refusal(w.ownerCaller.invitations.preview({ secret }))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/expired on \d{4}-\d\d-\d\d/) });
    const r = await refusedWithoutWrites(w.tenantId, () => callerFor(null).invitations.acceptNewAccount({ secret, ...newAccount }));
    expect(r).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('Ask for a new one') });
    expect(await usersWithEmail(email)).toBe(0);
  });

  it('refuses a short password or an empty name when creating the account, and creates nothing', async () => {
    const { secret, email } = await invite();
    const short = await refusedWithoutWrites(w.tenantId, () => callerFor(null).invitations.acceptNewAccount({ secret, name: 'Zoë', password: 'short' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { password: ['Password must be at least 12 characters'] } });
    const nameless = await refusedWithoutWrites(w.tenantId, () => callerFor(null).invitations.acceptNewAccount({ secret, name: ' ', password: newAccount.password }));
    expect(nameless.fieldErrors).toEqual({ name: ['Name is required'] });
    expect(await usersWithEmail(email)).toBe(0);
    expect(await w.ownerCaller.invitations.preview({ secret })).toMatchObject({ email, hasAccount: false });
  });

  it('an invitation works once; a second use is refused', async () => {
    const { secret, email } = await invite();
    await callerFor(null).invitations.acceptNewAccount({ secret, ...newAccount });
    const members = await w.ownerCaller.members.list({ tenantId: w.tenantId });
    expect(members.find((m) => m.email === email)).toMatchObject({ name: newAccount.name, role: 'member' });
    const again = await refusedWithoutWrites(w.tenantId, () => callerFor(null).invitations.acceptNewAccount({ secret, ...newAccount, name: 'Someone else' }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already been used') });
    expect(await usersWithEmail(email)).toBe(1);
  });

  it('two people racing to use one link: one account, one membership, and a clear refusal for the other', async () => {
    const { secret, email } = await invite();
    const outcomes = await Promise.allSettled([1, 2].map(() => callerFor(null).invitations.acceptNewAccount({ secret, ...newAccount })));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    // Depending on timing the loser finds the link used, or the account already made: both say what to do.
    expect(await refusal(Promise.reject(loser.reason))).toMatchObject({ code: expect.toBeOneOf(['CONFLICT', 'UNAUTHORIZED']), message: expect.stringMatching(/already been used|already exists|Sign in/) });
    expect(await usersWithEmail(email)).toBe(1);
    expect((await w.ownerCaller.members.list({ tenantId: w.tenantId })).filter((m) => m.email === email)).toHaveLength(1);
  });

  it('a revoked invitation is refused, and revoking twice answers NOT_FOUND', async () => {
    const invitee = await makeUser();
    const { secret, invitation } = await invite(invitee.email);
    await w.ownerCaller.invitations.revoke({ tenantId: w.tenantId, invitationId: invitation.id });
    const r = await refusedWithoutWrites(w.tenantId, () => callerFor(invitee).invitations.accept({ secret }));
    expect(r).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('withdrawn') });
    const twice = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.revoke({ tenantId: w.tenantId, invitationId: invitation.id }));
    expect(twice.code).toBe('NOT_FOUND');
  });

  it('accepting with the wrong signed-in account is refused and leaves the invitation pending', async () => {
    const { secret, email } = await invite();
    const stranger = await makeUser();
    const r = await refusedWithoutWrites(w.tenantId, () => callerFor(stranger).invitations.accept({ secret }));
    expect(r).toMatchObject({ code: 'FORBIDDEN', message: `This invitation is for ${email}, but you are signed in as ${stranger.email}.` });
    expect((await w.ownerCaller.invitations.list({ tenantId: w.tenantId })).find((i) => i.email === email)?.status).toBe('pending');
  });

  it('an API token cannot accept an invitation', async () => {
    const { secret } = await invite();
    const bot = await tokenCaller(w.tokenSecret); // authenticating may stamp last_used_at, a legitimate write
    const r = await refusedWithoutWrites(w.tenantId, () => bot.invitations.accept({ secret }));
    expect(r).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('not by an API token') });
  });

  it('a tampered or truncated link is refused without saying more', async () => {
    const { secret } = await invite();
    const tampered = `${secret.slice(0, -2)}${secret.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await refusal(callerFor(null).invitations.preview({ secret: tampered }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('not valid') });
    expect(await refusal(callerFor(null).invitations.preview({ secret: 'syi_' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { secret: ['The invitation link is incomplete'] } });
  });

  it('refuses an existing member, a site without a site role, and an unknown role', async () => {
    const member = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.create({ tenantId: w.tenantId, email: w.member.email, role: 'member' }));
    expect(member).toMatchObject({ code: 'CONFLICT', fieldErrors: { email: [expect.stringContaining('already a member')] } });
    const half = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.create({ tenantId: w.tenantId, email: 'half@example.test', role: null, siteId: w.siteId }));
    expect(half).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { siteRole: ['A site and a site role go together.'] } });
    const unknown = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.create({ tenantId: w.tenantId, email: 'su@example.test', role: 'superuser' }));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { role: [expect.stringContaining('"superuser" is not a tenant role. Use one of owner, admin')] } });
    const siteOwner = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.invitations.create({ tenantId: w.tenantId, email: 'so@example.test', role: null, siteId: w.siteId, siteRole: 'owner' }));
    expect(siteOwner).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { siteRole: [expect.stringContaining('not a site role')] } });
  });
});

describe('API tokens', () => {
  it('a revoked token no longer authenticates, and a caller holding it is refused at once', async () => {
    const { token, summary } = await w.ownerCaller.tokens.create({ tenantId: w.tenantId, name: 'to-revoke', role: 'member' });
    const live = await tokenCaller(token);
    await w.ownerCaller.tokens.revoke({ tenantId: w.tenantId, tokenId: summary.id });
    expect(await authenticateToken(appDb().db, token)).toBeNull();
    expect(await refusal(live.sites.list({ tenantId: w.tenantId }))).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('revoked or has expired') });
    expect(await refusal(live.me.whoami({}))).toMatchObject({ code: 'UNAUTHORIZED' });
    const twice = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.tokens.revoke({ tenantId: w.tenantId, tokenId: summary.id }));
    expect(twice).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('active API token') });
  });

  it('an expired token no longer authenticates, and a caller holding it is refused at once', async () => {
    const { token, summary } = await w.ownerCaller.tokens.create({ tenantId: w.tenantId, name: 'short-lived', role: 'member', expiresInDays: 1 });
    const live = await tokenCaller(token);
    await expect(live.sites.list({ tenantId: w.tenantId })).resolves.not.toHaveLength(0);
    await asOwner(w.tenantId, sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${summary.id}`);
    expect(await authenticateToken(appDb().db, token)).toBeNull();
    expect(await refusal(live.sites.list({ tenantId: w.tenantId }))).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('revoked or has expired') });
    expect(await refusal(live.me.whoami({}))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it.each([[''], ['sy_'], ['Bearer sy_abc'], [`sy_${'x'.repeat(300)}`], ['syi_not-a-token']])('the malformed secret %j does not authenticate', async (secret) => {
    expect(await authenticateToken(appDb().db, secret)).toBeNull();
  });

  it('a token may not hold more than its creator: an admin cannot mint an owner token', async () => {
    const r = await refusedWithoutWrites(w.tenantId, () => admin.caller.tokens.create({ tenantId: w.tenantId, name: 'escalate', role: 'owner' }));
    expect(r).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('billing:manage'), fieldErrors: { role: [expect.any(String)] } });
  });

  it("a token never holds more than its creator today: demoting the creator narrows it, removing them stops it", async () => {
    const creator = await addMember(w.ownerCaller, w.tenantId, 'admin');
    const { token } = await creator.caller.tokens.create({ tenantId: w.tenantId, name: 'creator-bound', role: 'admin' });
    const bot = await tokenCaller(token);
    await expect(bot.sites.update({ tenantId: w.tenantId, siteId: w.otherSiteId, description: 'by token' })).resolves.toMatchObject({ description: 'by token' });
    await w.ownerCaller.members.changeRole({ tenantId: w.tenantId, userId: creator.user.userId, role: 'member' });
    expect(await refusedWithoutWrites(w.tenantId, () => bot.sites.update({ tenantId: w.tenantId, siteId: w.otherSiteId, description: 'again' })))
      .toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('site:manage') });
    await expect(bot.sites.list({ tenantId: w.tenantId })).resolves.not.toHaveLength(0);
    await w.ownerCaller.members.remove({ tenantId: w.tenantId, userId: creator.user.userId });
    expect(await refusedWithoutWrites(w.tenantId, () => bot.sites.list({ tenantId: w.tenantId }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a token cannot create tokens or send invitations', async () => {
    const bot = await tokenCaller(w.tokenSecret);
    expect(await refusedWithoutWrites(w.tenantId, () => bot.tokens.create({ tenantId: w.tenantId, name: 'child', role: 'viewer' })))
      .toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('not by other tokens') });
    expect(await refusedWithoutWrites(w.tenantId, () => bot.invitations.create({ tenantId: w.tenantId, email: 'bot-invite@example.test', role: 'member' })))
      .toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('not by API tokens') });
  });
});

describe('custom roles', () => {
  it('refuses an unknown permission and an empty permission list, naming the field', async () => {
    const unknown = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'Bad', permissions: ['site:read', 'site:destroy' as never] }));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { permissions: [expect.stringContaining('Unknown permission. Known: site:read')] } });
    const empty = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'Empty', permissions: [] }));
    expect(empty.fieldErrors).toEqual({ permissions: ['Choose at least one permission'] });
  });

  it('refuses to delete a role still in use, and keeps it', async () => {
    const role = await w.ownerCaller.roles.create({ tenantId: w.tenantId, name: unique('in-use'), permissions: ['site:read'] });
    await w.ownerCaller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: `custom:${role.id}` });
    const r = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.delete({ tenantId: w.tenantId, roleId: role.id }));
    expect(r).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('still assigned') });
    expect((await w.ownerCaller.roles.list({ tenantId: w.tenantId })).map((x) => x.id)).toContain(role.id);
    await w.ownerCaller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: 'member' });
  });

  it('a role held only by a revoked invitation or token can be deleted; a pending invitation or live token blocks it', async () => {
    const role = await w.ownerCaller.roles.create({ tenantId: w.tenantId, name: unique('spent'), permissions: ['site:read'] });
    const custom = `custom:${role.id}`;
    const { invitation } = await w.ownerCaller.invitations.create({ tenantId: w.tenantId, email: `${unique('spent')}@example.test`, role: custom });
    const { summary } = await w.ownerCaller.tokens.create({ tenantId: w.tenantId, name: 'spent', role: custom });
    expect(await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.delete({ tenantId: w.tenantId, roleId: role.id })))
      .toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('still assigned') });
    await w.ownerCaller.invitations.revoke({ tenantId: w.tenantId, invitationId: invitation.id });
    expect(await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.roles.delete({ tenantId: w.tenantId, roleId: role.id })))
      .toMatchObject({ code: 'CONFLICT' });
    await w.ownerCaller.tokens.revoke({ tenantId: w.tenantId, tokenId: summary.id });
    await expect(w.ownerCaller.roles.delete({ tenantId: w.tenantId, roleId: role.id })).resolves.toEqual({ ok: true });
    expect((await w.ownerCaller.roles.list({ tenantId: w.tenantId })).map((r) => r.id)).not.toContain(role.id);
    expect((await w.ownerCaller.invitations.list({ tenantId: w.tenantId })).find((i) => i.id === invitation.id)).toMatchObject({ status: 'revoked' });
    expect((await w.ownerCaller.tokens.list({ tenantId: w.tenantId })).find((t) => t.id === summary.id)).toMatchObject({ revokedAt: expect.any(Date) });
  });

  it('an admin cannot compose or widen a role beyond their own permissions', async () => {
    const create = await refusedWithoutWrites(w.tenantId, () => admin.caller.roles.create({ tenantId: w.tenantId, name: 'Billing boss', permissions: ['billing:manage', 'site:read'] }));
    expect(create).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('billing:manage'), fieldErrors: { permissions: [expect.any(String)] } });
    const widen = await refusedWithoutWrites(w.tenantId, () => admin.caller.roles.update({ tenantId: w.tenantId, roleId: w.roleId, permissions: ['site:read', 'billing:manage'] }));
    expect(widen).toMatchObject({ code: 'FORBIDDEN', fieldErrors: { permissions: [expect.stringContaining('billing:manage')] } });
    await expect(admin.caller.roles.update({ tenantId: w.tenantId, roleId: w.roleId, permissions: ['site:read', 'member:read'] })).resolves.toMatchObject({ permissions: ['site:read', 'member:read'] });
  });
});

describe('ownership', () => {
  it('the last owner can be neither demoted nor removed', async () => {
    const { tenant, owner, ownerCaller } = await makeTenant('last-owner');
    const demote = await refusedWithoutWrites(tenant.id, () => ownerCaller.members.changeRole({ tenantId: tenant.id, userId: owner.userId, role: 'admin' }));
    expect(demote).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('last owner') });
    const remove = await refusedWithoutWrites(tenant.id, () => ownerCaller.members.remove({ tenantId: tenant.id, userId: owner.userId }));
    expect(remove).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Make someone else an owner first') });
  });

  it('two owners demoting each other at the same moment leave one owner, not none', async () => {
    // Without a lock both transactions count two owners and both succeed; three rounds make a miss unlikely.
    for (let round = 0; round < 3; round++) {
      const { tenant, owner, ownerCaller } = await makeTenant('owner-race');
      const second = await addMember(ownerCaller, tenant.id, 'owner');
      const outcomes = await Promise.allSettled([
        ownerCaller.members.changeRole({ tenantId: tenant.id, userId: second.user.userId, role: 'admin' }),
        second.caller.members.changeRole({ tenantId: tenant.id, userId: owner.userId, role: 'admin' }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      const owners = (await ownerCaller.members.list({ tenantId: tenant.id }).catch(() => second.caller.members.list({ tenantId: tenant.id })))
        .filter((m) => m.role === 'owner');
      expect(owners).toHaveLength(1);
    }
  });

  it('a non-owner admin cannot grant, invite as, or take away the owner role', async () => {
    const grant = await refusedWithoutWrites(w.tenantId, () => admin.caller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: 'owner' }));
    expect(grant).toMatchObject({ code: 'FORBIDDEN', fieldErrors: { role: ['Only an owner can grant or remove the owner role.'] } });
    const self = await refusedWithoutWrites(w.tenantId, () => admin.caller.members.changeRole({ tenantId: w.tenantId, userId: admin.user.userId, role: 'owner' }));
    expect(self.code).toBe('FORBIDDEN');
    const invite = await refusedWithoutWrites(w.tenantId, () => admin.caller.invitations.create({ tenantId: w.tenantId, email: 'new-owner@example.test', role: 'owner' }));
    expect(invite).toMatchObject({ code: 'FORBIDDEN', fieldErrors: { role: ['Only an owner can grant or remove the owner role.'] } });
    const demote = await refusedWithoutWrites(w.tenantId, () => admin.caller.members.changeRole({ tenantId: w.tenantId, userId: w.owner.userId, role: 'member' }));
    expect(demote.code).toBe('FORBIDDEN');
    const remove = await refusedWithoutWrites(w.tenantId, () => admin.caller.members.remove({ tenantId: w.tenantId, userId: w.owner.userId }));
    expect(remove.code).toBe('FORBIDDEN');
  });

  it('an admin cannot give anyone (themselves included) a custom role holding more than admin', async () => {
    const boss = await w.ownerCaller.roles.create({ tenantId: w.tenantId, name: unique('boss'), permissions: ['billing:manage', 'member:manage'] });
    const self = await refusedWithoutWrites(w.tenantId, () => admin.caller.members.changeRole({ tenantId: w.tenantId, userId: admin.user.userId, role: `custom:${boss.id}` }));
    expect(self).toMatchObject({ code: 'FORBIDDEN', fieldErrors: { role: [expect.stringContaining('billing:manage')] } });
    // The attempt is on the record: auditors want to see escalation attempts above all.
    expect(deniedEntries(await tenantSnapshot(w.tenantId)).at(-1)).toMatchObject({
      action: 'members.changeRole', actor_id: admin.user.userId, result: 'denied', changes: { reason: expect.stringContaining('billing:manage') },
    });
    const invite = await refusedWithoutWrites(w.tenantId, () => admin.caller.invitations.create({ tenantId: w.tenantId, email: 'boss@example.test', role: `custom:${boss.id}` }));
    expect(invite).toMatchObject({ code: 'FORBIDDEN', fieldErrors: { role: [expect.stringContaining('billing:manage')] } });
    await expect(admin.caller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: 'auditor' })).resolves.toEqual({ ok: true });
    await w.ownerCaller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: 'member' });
  });

  it('refuses an unknown role value and a foreign custom role, naming the field', async () => {
    const unknown = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.delegation.grant({ tenantId: w.tenantId, siteId: w.siteId, userId: w.member.userId, role: 'admin' }));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { role: [expect.stringContaining('Use one of operator, developer, viewer')] } });
    const missing = await refusedWithoutWrites(w.tenantId, () => w.ownerCaller.members.changeRole({ tenantId: w.tenantId, userId: w.member.userId, role: 'custom:00000000-0000-4000-8000-000000000000' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', fieldErrors: { role: [expect.stringContaining('no custom role')] } });
  });
});

describe('after all of the above', () => {
  it("the tenant's audit chain still verifies: refusals were appended, nothing was rewritten", async () => {
    const result = await w.ownerCaller.audit.verify({ tenantId: w.tenantId });
    expect(result).toMatchObject({ ok: true });
    expect(result.checked).toBeGreaterThan(20);
  });
});
