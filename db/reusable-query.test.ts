import { asc, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { appDb, makeTenant, unique } from '@/tests/helpers/db';
import { withTenant, type Tx } from './client';
import { reusableQuery } from './reusable-query';
import { sites } from './schema';

// No tenant condition of its own: what it returns is decided by the row-level-security setting of the connection.
const everyVisibleSite = reusableQuery('test_every_visible_site', (db) => db
  .select({ id: sites.id, tenantId: sites.tenantId, createdAt: sites.createdAt }).from(sites)
  .where(sql`${sites.name} like ${sql.placeholder('namePattern')}`).orderBy(asc(sites.name)));

async function tenantWithSite(label: string, name: string) {
  const { tenant, ownerCaller } = await makeTenant(label);
  const site = await ownerCaller.sites.create({ tenantId: tenant.id, slug: unique('site'), name });
  return { tenantId: tenant.id, siteId: site.id };
}

describe('reusableQuery', () => {
  it('runs on the transaction that calls it, under that transaction\'s tenant, with drizzle\'s own row mapping', async () => {
    const name = unique('reusable');
    const a = await tenantWithSite('reuse-a', `${name} A`);
    const b = await tenantWithSite('reuse-b', `${name} B`);
    const namePattern = `${name}%`;
    const inA = await withTenant(appDb().db, a.tenantId, (tx) => everyVisibleSite(tx, { namePattern }));
    const inB = await withTenant(appDb().db, b.tenantId, (tx) => everyVisibleSite(tx, { namePattern }));
    expect(inA.map((r) => [r.id, r.tenantId])).toEqual([[a.siteId, a.tenantId]]);
    expect(inB.map((r) => [r.id, r.tenantId])).toEqual([[b.siteId, b.tenantId]]);
    expect(inA[0]!.createdAt).toBeInstanceOf(Date);
    expect(Date.now() - inA[0]!.createdAt.getTime()).toBeLessThan(60_000);
  });

  it('refuses to run outside a transaction instead of reading on a pooled connection', async () => {
    const pool = appDb().db as unknown as Tx;
    expect(() => everyVisibleSite(pool, { namePattern: '%' })).toThrow(/runs only inside a transaction/);
  });
});
