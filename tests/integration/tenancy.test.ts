import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { TENANT_TABLES } from './support/snapshot';
import { addMember, appDb, callerFor, makeTenant, makeUser, asOwnerWithoutRls, ownerDb, pgFailure, unique } from '../helpers/db';

describe('sites and delegation', () => {
  it('an owner creates, renames and lists sites; the change is audited', async () => {
    const { tenant, ownerCaller } = await makeTenant('acme');
    const site = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'north-plant', name: 'North plant' });
    await ownerCaller.sites.update({ tenantId: tenant.id, siteId: site.id, name: 'North plant (Ohio)' });
    const sites = await ownerCaller.sites.list({ tenantId: tenant.id });
    expect(sites.map((s) => s.name)).toEqual(['North plant (Ohio)']);
    const audit = await ownerCaller.audit.list({ tenantId: tenant.id, resourceType: 'site' });
    expect(audit.map((a) => a.action)).toEqual(['site.update', 'site.create']);
  });

  it('a delegated operator sees and acts on their site only, and loses it the moment the grant goes', async () => {
    const { tenant, ownerCaller } = await makeTenant('delegate');
    const north = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'north', name: 'North' });
    const south = await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'south', name: 'South' });
    const { user, caller } = await addMember(ownerCaller, tenant.id, null, [{ siteId: north.id, role: 'operator' }]);

    expect((await caller.sites.list({ tenantId: tenant.id })).map((s) => s.slug)).toEqual(['north']);
    await expect(caller.sites.get({ tenantId: tenant.id, siteId: south.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(caller.sites.create({ tenantId: tenant.id, slug: 'east', name: 'East' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await ownerCaller.delegation.revoke({ tenantId: tenant.id, siteId: north.id, userId: user.userId });
    expect(await caller.sites.list({ tenantId: tenant.id })).toEqual([]);
    await expect(caller.sites.get({ tenantId: tenant.id, siteId: north.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('duplicate slugs are refused with the field named, and nothing is written', async () => {
    const { tenant, ownerCaller } = await makeTenant('dup');
    await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'plant', name: 'Plant' });
    await expect(ownerCaller.sites.create({ tenantId: tenant.id, slug: 'plant', name: 'Other' }))
      .rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"plant" already exists') });
    expect(await ownerCaller.sites.list({ tenantId: tenant.id })).toHaveLength(1);
    const audit = await ownerCaller.audit.list({ tenantId: tenant.id, action: 'site.create' });
    expect(audit).toHaveLength(1);
  });
});

describe('row-level security', () => {
  it('as the app role with tenant B set, a bare select returns none of tenant A rows', async () => {
    const a = await makeTenant('rls-a');
    const b = await makeTenant('rls-b');
    await a.ownerCaller.sites.create({ tenantId: a.tenant.id, slug: unique('s'), name: 'A site' });
    const seen = await withTenant(appDb().db, b.tenant.id, (tx) => tx.execute(sql`select tenant_id from sites`));
    expect(seen.map((r) => r.tenant_id)).not.toContain(a.tenant.id);
    const withoutTenant = await appDb().db.execute(sql`select count(*)::int as n from sites`);
    expect(withoutTenant[0]!.n).toBe(0);
  });

  it('the app role cannot write a row into another tenant', async () => {
    const a = await makeTenant('rls-w-a');
    const b = await makeTenant('rls-w-b');
    const attempt = withTenant(appDb().db, b.tenant.id, (tx) =>
      tx.execute(sql`insert into sites (tenant_id, slug, name) values (${a.tenant.id}, 'sneaky', 'x')`));
    expect(await pgFailure(attempt)).toMatch(/row-level security/);
  });

  it('every table with tenant_id has row-level security enabled and forced', async () => {
    const rows = await ownerDb().db.execute(sql`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public' where c.relkind = 'r'`);
    // The cross-tenant snapshot must cover every tenant table, so a new one cannot slip past it.
    expect(rows.map((r) => r.relname).sort()).toEqual([...TENANT_TABLES].sort());
    for (const r of rows) expect({ table: r.relname, rls: r.relrowsecurity, forced: r.relforcerowsecurity }).toEqual({ table: r.relname, rls: true, forced: true });
  });

  it('the app role owns nothing and cannot bypass row-level security', async () => {
    const [role] = await appDb().db.execute(sql`select rolbypassrls, rolsuper from pg_roles where rolname = current_user`);
    expect(role).toEqual({ rolbypassrls: false, rolsuper: false });
    const owned = await appDb().db.execute(sql`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = current_user`);
    expect(owned[0]!.n).toBe(0);
  });
});

describe('audit trail', () => {
  it('is append-only for the app role', async () => {
    const { tenant, ownerCaller } = await makeTenant('audit-ro');
    await ownerCaller.sites.create({ tenantId: tenant.id, slug: 'x1', name: 'X' });
    expect(await pgFailure(withTenant(appDb().db, tenant.id, (tx) => tx.execute(sql`update audit_log set action = 'nothing'`)))).toMatch(/permission denied/);
    expect(await pgFailure(withTenant(appDb().db, tenant.id, (tx) => tx.execute(sql`delete from audit_log`)))).toMatch(/permission denied/);
  });

  it('verification detects an edited entry', async () => {
    const { tenant, ownerCaller } = await makeTenant('audit-tamper');
    for (const n of [1, 2, 3, 4]) await ownerCaller.sites.create({ tenantId: tenant.id, slug: `s${n}`, name: `S${n}` });
    expect(await ownerCaller.audit.verify({ tenantId: tenant.id })).toMatchObject({ ok: true });
    const ids = (await ownerCaller.audit.list({ tenantId: tenant.id })).map((e) => e.id).reverse();
    await asOwnerWithoutRls((tx) => tx.execute(sql`update audit_log set changes = '{"slug":"forged"}' where id = ${ids[2]}`));
    expect(await ownerCaller.audit.verify({ tenantId: tenant.id })).toMatchObject({ ok: false, problem: { kind: 'edited', id: ids[2] } });
  });

  it('verification detects a deleted entry and a swapped pair', async () => {
    const { tenant, ownerCaller } = await makeTenant('audit-del');
    for (const n of [1, 2, 3]) await ownerCaller.sites.create({ tenantId: tenant.id, slug: `s${n}`, name: `S${n}` });
    const ids = (await ownerCaller.audit.list({ tenantId: tenant.id })).map((e) => e.id).reverse();
    await asOwnerWithoutRls((tx) => tx.execute(sql`delete from audit_log where id = ${ids[1]}`));
    expect(await ownerCaller.audit.verify({ tenantId: tenant.id })).toMatchObject({ ok: false, problem: { kind: 'broken-link' } });

    const other = await makeTenant('audit-swap');
    for (const n of [1, 2, 3]) await other.ownerCaller.sites.create({ tenantId: other.tenant.id, slug: `s${n}`, name: `S${n}` });
    const [x, y] = (await other.ownerCaller.audit.list({ tenantId: other.tenant.id })).map((e) => e.id);
    // Swap two entries' positions by exchanging their ids.
    await asOwnerWithoutRls(async (tx) => {
      await tx.execute(sql`update audit_log set id = -1 where id = ${x}`);
      await tx.execute(sql`update audit_log set id = ${x} where id = ${y}`);
      await tx.execute(sql`update audit_log set id = ${y} where id = -1`);
    });
    expect(await other.ownerCaller.audit.verify({ tenantId: other.tenant.id })).toMatchObject({ ok: false });
  });

  it('records refused attempts as denied', async () => {
    const { tenant, ownerCaller } = await makeTenant('audit-denied');
    const { caller } = await addMember(ownerCaller, tenant.id, 'auditor');
    await expect(caller.sites.create({ tenantId: tenant.id, slug: 'nope', name: 'Nope' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const denied = await caller.audit.list({ tenantId: tenant.id, result: 'denied' });
    expect(denied.map((d) => d.action)).toEqual(['sites.create']);
  });
});

describe('platform', () => {
  it('only platform operators create tenants', async () => {
    const someone = await makeUser();
    await expect(callerFor(someone).platform.createTenant({ slug: unique('t'), name: 'T', ownerEmail: someone.email }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
