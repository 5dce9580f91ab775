import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connect, withTenant, type DbOrTx } from './client';

// One connection, so the session that ran a query is the one whose prepared statements we read.
const handle = connect(inject('appDbUrl'), { max: 1 });
afterAll(() => handle.close());

const marker = () => `probe_${randomUUID().replaceAll('-', '')}`;

async function runProbe(db: DbOrTx, name: string): Promise<number> {
  const rows = await db.execute<{ value: number }>(sql`select ${41}::int + 1 as ${sql.raw(name)}, 42 as value`);
  return rows[0]!.value;
}

async function preparedNamed(name: string): Promise<number> {
  const [row] = await handle.sql<{ n: number }[]>`select count(*)::int as n from pg_prepared_statements where statement like ${`%${name}%`}`;
  return row!.n;
}

describe('drizzle queries as prepared statements', () => {
  it('prepares a parameterised query on the pool, and runs it again from the cache', async () => {
    const name = marker();
    expect(await runProbe(handle.db, name)).toBe(42);
    expect(await runProbe(handle.db, name)).toBe(42);
    expect(await preparedNamed(name)).toBe(1);
  });

  it('prepares inside a tenant transaction and inside a savepoint within it', async () => {
    const inTransaction = marker();
    const inSavepoint = marker();
    await withTenant(handle.db, randomUUID(), async (tx) => {
      expect(await runProbe(tx, inTransaction)).toBe(42);
      expect(await tx.transaction((sp) => runProbe(sp, inSavepoint))).toBe(42);
    });
    expect(await preparedNamed(inTransaction)).toBe(1);
    expect(await preparedNamed(inSavepoint)).toBe(1);
  });

  it('still reports a failing statement as the error it is', async () => {
    await expect(handle.db.execute(sql`select ${'not a number'}::int`)).rejects.toMatchObject({ cause: { message: expect.stringMatching(/invalid input syntax for type integer/) } });
    expect(await runProbe(handle.db, marker())).toBe(42); // the connection is usable afterwards
  });
});
