import type postgres from 'postgres';

type Unsafe = postgres.Sql['unsafe'];
type Scoped = (sql: postgres.TransactionSql) => unknown;

/**
 * The postgres.js client as drizzle should see it: every query a named prepared statement. drizzle asks for unnamed
 * ones unless a query is given a name, and postgres.js then describes each parameterised query in a round trip of
 * its own before running it, while Postgres parses and plans it again every time: on the request path that was two
 * round trips per query and about three times the database CPU. Transactions and savepoints hand out clients that
 * prepare too. Statements are cached per connection, which postgres.js recycles (max_lifetime), so the cache stays
 * bounded.
 */
export function preparingClient<T extends postgres.Sql | postgres.TransactionSql>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        const unsafe = value as Unsafe;
        return ((query, params, options) => unsafe(query, params, { ...options, prepare: true })) as Unsafe;
      }
      if ((property === 'begin' || property === 'savepoint') && typeof value === 'function') {
        const open = value as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const fn = args.pop() as Scoped;
          return open(...args, (sql: postgres.TransactionSql) => fn(preparingClient(sql)));
        };
      }
      return value;
    },
  });
}
