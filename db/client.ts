import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the pool or an open transaction: services take this so callers decide the transaction boundary. */
export type DbOrTx = Db | Tx;

export interface DbHandle { db: Db; close: () => Promise<void>; sql: postgres.Sql }

export function connect(url: string, opts: { max?: number } = {}): DbHandle {
  const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {}, connection: { application_name: 'switchyard' } });
  return { db: drizzle(client, { schema }), sql: client, close: () => client.end({ timeout: 5 }) };
}

/** Transactions opened by withTenant, with their tenant. */
const tenantOfTransaction = new WeakMap<object, string>();

/**
 * Runs `fn` in a transaction whose row-level-security tenant is `tenantId`.
 * The setting is transaction-local, so a pooled connection never carries it into another request.
 */
export async function withTenant<T>(db: DbOrTx, tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const bound = tenantOfTransaction.get(db);
  // Already inside this tenant's transaction (a read resolved access in it): join it instead of a savepoint.
  if (bound === tenantId) return fn(db as Tx);
  // The setting would outlive a savepoint and leak into the outer transaction's remaining statements.
  if (bound !== undefined) throw new Error('internal: withTenant for another tenant inside a tenant transaction');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    tenantOfTransaction.set(tx, tenantId);
    return fn(tx);
  });
}

/** A transaction that may read one user's own memberships and grants across tenants (tenant switcher). */
export async function withUser<T>(db: DbOrTx, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
    return fn(tx);
  });
}

/** Platform-operator work: tenants and the platform audit chain, never tenant rows. */
export async function withPlatform<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.platform', 'on', true)`);
    return fn(tx);
  });
}

/** Looks up a row by the hash of a secret (API token, invitation) under the policy keyed on that hash. */
export async function withSecretLookup<T>(
  db: DbOrTx, setting: 'app.token_hash' | 'app.invitation_hash', hash: string, fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config(${setting}, ${hash}, true)`);
    return fn(tx);
  });
}
