import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { anyOf, arrayLiteral } from './any-of';
import { connect, withTenant } from './client';
import { sites, tenants } from './schema';

const owner = connect(inject('ownerDbUrl'), { max: 1 });
// One connection, so the session whose prepared statements are counted is the one that ran the queries.
const app = connect(inject('appDbUrl'), { max: 1 });
const tenantId = randomUUID();
const siteIds: string[] = [];

beforeAll(async () => {
  await owner.sql`insert into tenants (id, slug, name) values (${tenantId}, ${`any-of-${tenantId.slice(0, 8)}`}, 'anyOf probe')`;
  await withTenant(owner.db, tenantId, async (tx) => {
    const rows = await tx.insert(sites).values(['a', 'b', 'c', 'd'].map((s) => ({ tenantId, slug: `site-${s}`, name: `Site ${s}` }))).returning({ id: sites.id });
    siteIds.push(...rows.map((r) => r.id));
  });
});
afterAll(async () => {
  await withTenant(owner.db, tenantId, (tx) => tx.delete(sites));
  await owner.db.delete(tenants).where(anyOf(tenants.id, [tenantId]));
  await Promise.all([owner.close(), app.close()]);
});

const namesOf = (ids: string[]) => withTenant(app.db, tenantId, (tx) =>
  tx.select({ name: sites.name }).from(sites).where(anyOf(sites.id, ids)).orderBy(asc(sites.name))).then((rows) => rows.map((r) => r.name));

describe('anyOf: membership in a list as one array parameter', () => {
  it('matches exactly the listed rows, for any length, the empty list included', async () => {
    expect(await namesOf([siteIds[1]!])).toEqual(['Site b']);
    expect(await namesOf([siteIds[3]!, siteIds[0]!, randomUUID()])).toEqual(['Site a', 'Site d']);
    expect(await namesOf(siteIds)).toEqual(['Site a', 'Site b', 'Site c', 'Site d']);
    expect(await namesOf([])).toEqual([]);
  });

  it('runs every length as the same prepared statement', async () => {
    const [row] = await app.sql<{ n: number }[]>`select count(*)::int as n from pg_prepared_statements where statement like '%= any(%::uuid[])%' and statement like '%"sites"%' and statement not like '%pg_prepared_statements%'`;
    expect(row!.n).toBe(1);
  });

  it('keeps values with commas, braces, quotes and backslashes as the text they are', async () => {
    const awkward = ['a,b', '{c}', 'd"e', 'f\\g', 'NULL', ''];
    const [row] = await app.sql<{ back: string[] }[]>`select ${arrayLiteral(awkward)}::text[] as back`;
    expect(row!.back).toEqual(awkward);
  });

  it('refuses a value that is not of the column\'s type, naming it', async () => {
    await expect(namesOf(['not-a-uuid'])).rejects.toMatchObject({ cause: { message: expect.stringMatching(/invalid input syntax for type uuid: "not-a-uuid"/) } });
  });
});
