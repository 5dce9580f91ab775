import { drizzle } from 'drizzle-orm/postgres-js';
import { connectionOf, type Tx } from './client';

/** drizzle with no connection: queries are built on it once and run on the caller's transaction. */
const builder = drizzle.mock();
export type QueryBuilder = typeof builder;

interface Prepared<TResult> { execute(values?: Record<string, unknown>): Promise<TResult> }

/**
 * A query on the request path, built once (with `sql.placeholder` for its values) and run in whichever transaction
 * asks. drizzle otherwise rebuilds the SQL text and its bookkeeping on every call, which was a tenth of the server's
 * CPU on a site list. Each run is bound to the caller's own connection, so it reads under that transaction's
 * row-level-security setting; outside a transaction it refuses to run rather than fall back to any other connection.
 */
export function reusableQuery<TValues extends Record<string, unknown>, TResult>(
  name: string, build: (db: QueryBuilder) => { prepare(name: string): Prepared<TResult> },
): (tx: Tx, values: TValues) => Promise<TResult> {
  let template: Prepared<TResult> | undefined;
  return (tx, values) => {
    const client = connectionOf(tx);
    if (!client) throw new Error(`internal: ${name} runs only inside a transaction`);
    template ??= build(builder).prepare(name);
    // drizzle's postgres.js prepared query runs on its `client`: the same query, on this transaction's connection.
    const bound = Object.create(template, { client: { value: client } }) as Prepared<TResult>;
    return bound.execute(values);
  };
}
