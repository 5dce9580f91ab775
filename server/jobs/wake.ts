// Waking workers the moment a job is queued: the request's transaction sends NOTIFY, which Postgres delivers on
// commit to every worker process listening, so a job starts without waiting for the next poll. Polling stays as the
// safety net (a notification missed while a listener reconnects).
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Tx } from '@/db/client';
import { logger } from '@/server/logger';

export const JOBS_CHANNEL = 'switchyard_jobs_queued';

export async function notifyJobQueued(tx: Tx, queue: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${JOBS_CHANNEL}, ${queue})`);
}

/** Calls `wake` whenever a job is queued on `queue` by any process; returns the stop. */
export async function listenForQueuedJobs(url: string, queue: string, wake: () => void): Promise<{ stop(): Promise<void> }> {
  const listener = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await listener.listen(JOBS_CHANNEL, (payload) => { if (payload === queue) wake(); }, () => logger.debug('listening for queued jobs'));
  } catch (err) {
    await listener.end({ timeout: 5 });
    throw err;
  }
  return { stop: () => listener.end({ timeout: 5 }) };
}
