import type postgres from 'postgres';
import { expectedMigrationCount } from '@/db/migrate';
import { logger } from '@/server/logger';

export type Readiness = { ready: true; migrations: number } | { ready: false; reason: string };

const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ready = the database answers as the app role and has exactly the migrations this build ships.
 * Takes a pool or an open transaction (tests look at an uncommitted extra migration row that way).
 */
export async function checkReadiness(sql: postgres.Sql | postgres.TransactionSql): Promise<Readiness> {
  const expected = await expectedMigrationCount();
  let applied: number;
  try {
    const rows = await withTimeout(sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`, CHECK_TIMEOUT_MS, 'the database');
    applied = rows[0]?.n ?? 0;
  } catch (err) {
    // The driver's words (hosts, table names) go to the log, not to an unauthenticated caller.
    logger.warn({ err }, 'readiness: database check failed');
    return { ready: false, reason: 'the database does not answer, or has no migrations table: see the server log' };
  }
  if (applied !== expected) {
    return { ready: false, reason: `database has ${applied} migrations applied, this build expects ${expected}: run \`npm start\` (it migrates) or apply drizzle/ as the owner` };
  }
  return { ready: true, migrations: applied };
}
