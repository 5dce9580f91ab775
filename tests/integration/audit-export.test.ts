import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { exportAudit, recordAudit, type AuditFilter } from '@/server/services/audit';
import { addMember, appDb, makeTenant, unique } from '../helpers/db';
import { refusal } from './support/refusal';
import { tokenCaller } from './support/world';

async function exported(tenantId: string, filter: AuditFilter = {}) {
  const rows = [];
  for await (const row of exportAudit(appDb().db, { tenantId, filter })) rows.push(row);
  return rows;
}

// One tenant with a known history: owner, admin, token and a refused auditor, a few milliseconds apart so time
// ranges can cut between entries.
let tenantId: string;
let ownerEmail: string;
let adminEmail: string;
let otherTenantId: string;
beforeAll(async () => {
  const t = await makeTenant('export');
  tenantId = t.tenant.id;
  ownerEmail = t.owner.email;
  const admin = await addMember(t.ownerCaller, tenantId, 'admin');
  adminEmail = admin.user.email;
  const auditor = await addMember(t.ownerCaller, tenantId, 'auditor');
  const { token } = await t.ownerCaller.tokens.create({ tenantId, name: 'ci_100%', role: 'admin' });
  const bot = await tokenCaller(token);
  for (const step of [
    () => t.ownerCaller.sites.create({ tenantId, slug: 'north', name: 'North' }),
    () => admin.caller.roles.create({ tenantId, name: 'Readers', permissions: ['site:read'] }),
    () => bot.sites.create({ tenantId, slug: 'south', name: 'South' }),
    () => refusal(auditor.caller.sites.create({ tenantId, slug: 'east', name: 'East' })),
    () => t.ownerCaller.sites.create({ tenantId, slug: 'west', name: 'West' }),
  ]) {
    await step();
    await sleep(5);
  }
  otherTenantId = (await makeTenant('export-other')).tenant.id;
}, 60_000);

describe('exportAudit', () => {
  it('streams every entry of the tenant, oldest first, and nothing of another tenant', async () => {
    const all = await exported(tenantId);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(all.map((e) => e.tenantId))).toEqual(new Set([tenantId]));
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(['tenant.create', 'site.create', 'role.create', 'sites.create', 'token.create']));
    expect((await exported(otherTenantId)).some((e) => ids.includes(e.id))).toBe(false);
  });

  it('filters by actor, case-insensitively, and takes % and _ literally', async () => {
    expect(new Set((await exported(tenantId, { actor: adminEmail.toUpperCase() })).map((e) => e.actorLabel))).toEqual(new Set([adminEmail]));
    expect((await exported(tenantId, { actor: 'token:' })).map((e) => [e.actorLabel, e.action])).toEqual([['token:ci_100%', 'site.create']]);
    expect((await exported(tenantId, { actor: '100%' })).map((e) => e.actorLabel)).toEqual(['token:ci_100%']);
    expect(await exported(tenantId, { actor: '%' })).toHaveLength(1);
    expect(await exported(tenantId, { actor: 'ci%100' })).toEqual([]);
    expect(await exported(tenantId, { actor: 'c_' })).toEqual([]);
  });

  it('filters by action prefix, resource and result', async () => {
    const sites = await exported(tenantId, { action: 'site.' });
    expect(sites.map((e) => [e.action, (e.changes as { slug?: string }).slug])).toEqual([['site.create', 'north'], ['site.create', 'south'], ['site.create', 'west']]);
    expect((await exported(tenantId, { resourceType: 'role' })).map((e) => e.action)).toEqual(['role.create']);
    const denied = await exported(tenantId, { result: 'denied' });
    expect(denied.map((e) => [e.action, e.result])).toEqual([['sites.create', 'denied']]);
    const north = sites[0]!;
    expect((await exported(tenantId, { resourceId: north.resourceId! })).map((e) => e.id)).toEqual([north.id]);
    expect(await exported(tenantId, { action: 'site.create', actor: ownerEmail, resourceType: 'role' })).toEqual([]);
  });

  it('filters by a time range, both ends included', async () => {
    const sites = await exported(tenantId, { action: 'site.create' });
    const [first, second, third] = sites;
    const range = await exported(tenantId, { action: 'site.create', from: second!.occurredAt, to: third!.occurredAt });
    expect(range.map((e) => e.id)).toEqual([second!.id, third!.id]);
    // The refused attempt between them falls in the same range once the filter allows it.
    const between = await exported(tenantId, { from: second!.occurredAt, to: third!.occurredAt });
    expect(between.map((e) => e.action)).toEqual(['site.create', 'sites.create', 'site.create']);
    expect((await exported(tenantId, { action: 'site.create', to: first!.occurredAt })).map((e) => e.id)).toEqual([first!.id]);
    expect(await exported(tenantId, { from: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it('pages through a trail longer than one page (500) without losing or repeating an entry', async () => {
    const { tenant } = await makeTenant('export-long');
    await withTenant(appDb().db, tenant.id, async (tx) => {
      for (let n = 0; n < 501; n++) {
        await recordAudit(tx, { tenantId: tenant.id, actor: { type: 'system', label: 'bulk' }, action: 'bulk.entry', resourceType: 'test', resourceId: String(n) });
      }
    });
    const rows = await exported(tenant.id, { action: 'bulk.' });
    expect(rows.map((e) => e.resourceId)).toEqual(Array.from({ length: 501 }, (_, n) => String(n)));
    expect(new Set(rows.map((e) => e.id)).size).toBe(501);
  }, 30_000);
});

describe('the audit list', () => {
  it('answers newest first with the same filters, and pages with beforeId', async () => {
    const t = await makeTenant(unique('list'));
    for (const slug of ['a1', 'a2', 'a3']) await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug, name: slug });
    const newest = await t.ownerCaller.audit.list({ tenantId: t.tenant.id, action: 'site.create', limit: 2 });
    expect(newest.map((e) => (e.changes as { slug: string }).slug)).toEqual(['a3', 'a2']);
    const older = await t.ownerCaller.audit.list({ tenantId: t.tenant.id, action: 'site.create', beforeId: newest[1]!.id });
    expect(older.map((e) => (e.changes as { slug: string }).slug)).toEqual(['a1']);
    expect(await refusal(t.ownerCaller.audit.list({ tenantId: t.tenant.id, from: 'yesterday-ish' as never })))
      .toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { from: [expect.stringContaining('must be a date')] } });
  });
});
