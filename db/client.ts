import { sql } from 'drizzle-orm';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { preparingClient } from './prepared-statements';

// Without drizzle's relational query API (db.query.*, unused here): it would build a query helper per table for
// every transaction, on every request.
export type Db = PostgresJsDatabase;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the pool or an open transaction: services take this so callers decide the transaction boundary. */
export type DbOrTx = Db | Tx;

export interface DbHandle { db: Db; close: () => Promise<void>; sql: postgres.Sql }

/**
 * libpq's `?host=/folder` (a Unix socket in that folder) as postgres.js takes it: an option, not a query parameter,
 * which postgres.js would send to the server as a setting. The embedded database is reached this way.
 */
export function connectionTarget(url: string): { url: string; host?: string } {
  if (!/[?&]host=(\/|%2F)/i.test(url)) return { url }; // anything else, multi-host URLs included, as given
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host');
  if (!host?.startsWith('/')) return { url };
  parsed.searchParams.delete('host');
  return { url: parsed.toString(), host };
}

export function connect(url: string, opts: { max?: number } = {}): DbHandle {
  const target = connectionTarget(url);
  const client = postgres(target.url, { max: opts.max ?? 10, onnotice: () => {}, connection: { application_name: 'switchyard' }, ...(target.host ? { host: target.host } : {}) });
  return { db: drizzle(preparingClient(client)), sql: client, close: () => client.end({ timeout: 5 }) };
}

/** The postgres.js connection behind a drizzle transaction (drizzle keeps it on its session); none for the pool. */
export function connectionOf(tx: DbOrTx): postgres.TransactionSql | undefined {
  const client = (tx as unknown as { session?: { client?: postgres.TransactionSql } }).session?.client;
  return typeof client === 'function' && typeof client.savepoint === 'function' ? client : undefined;
}

/** Transactions opened by withTenant, with their tenant. */
const tenantOfTransaction = new WeakMap<object, string>();

type LocalSetting = 'app.tenant_id' | 'app.user_id' | 'app.platform' | 'app.token_hash' | 'app.invitation_hash';

/**
 * A transaction with one transaction-local setting, which the row-level-security policies read. The setting is
 * handed to postgres.js before `fn` runs, so it goes out ahead of `fn`'s first statement on the same connection and
 * both share one round trip (this is on every request). If it fails, the transaction is aborted and every later
 * statement fails too; the setting's own error is the one thrown.
 */
async function withLocalSetting<T>(db: DbOrTx, name: LocalSetting, value: string, fn: (tx: Tx) => Promise<T>, onOpen?: (tx: Tx) => void): Promise<T> {
  return db.transaction(async (tx) => {
    const client = connectionOf(tx);
    let setting: Promise<unknown> = Promise.resolve();
    if (client) {
      setting = client`select set_config(${name}, ${value}, true)`.execute();
      setting.catch(() => {}); // observed below; this only keeps an early failure from counting as unhandled
    } else {
      await tx.execute(sql`select set_config(${name}, ${value}, true)`); // a driver we cannot reach into: wait
    }
    onOpen?.(tx);
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      await setting; // a failed setting is the cause of whatever failed after it: throw that instead
      throw err;
    }
    await setting;
    return result;
  });
}

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
  return withLocalSetting(db, 'app.tenant_id', tenantId, fn, (tx) => tenantOfTransaction.set(tx, tenantId));
}

/** A transaction that may read one user's own memberships and grants across tenants (tenant switcher). */
export async function withUser<T>(db: DbOrTx, userId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withLocalSetting(db, 'app.user_id', userId, fn);
}

/** Platform-operator work: tenants and the platform audit chain, never tenant rows. */
export async function withPlatform<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withLocalSetting(db, 'app.platform', 'on', fn);
}

/** Looks up a row by the hash of a secret (API token, invitation) under the policy keyed on that hash. */
export async function withSecretLookup<T>(
  db: DbOrTx, setting: 'app.token_hash' | 'app.invitation_hash', hash: string, fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return withLocalSetting(db, setting, hash, fn);
}
