// A job's status changes reach every process at once: the change's transaction sends NOTIFY (delivered on commit),
// and a request waiting for that job (a long poll) re-reads it then, instead of polling.
import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { Db, Tx } from '@/db/client';
import { logger } from '@/server/logger';

export const JOB_CHANGED_CHANNEL = 'switchyard_job_changed';

export async function notifyJobChanged(tx: Tx, jobId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${JOB_CHANGED_CHANNEL}, ${jobId})`);
}

const waiters = new Map<string, Set<() => void>>();
// One listening connection per database pool, opened on the first wait; dropped (retried later) when it fails.
const listening = new WeakMap<object, Promise<boolean>>();

function listen(db: Db): Promise<boolean> {
  const client = (db as { $client?: postgres.Sql }).$client;
  if (!client) return Promise.resolve(false); // a transaction, not a pool: no connection of its own to listen on
  const known = listening.get(client);
  if (known) return known;
  const started = client.listen(JOB_CHANGED_CHANNEL, (jobId: string) => {
    for (const wake of waiters.get(jobId) ?? []) wake();
  }).then(() => true, (err: unknown) => {
    logger.warn({ err }, 'cannot listen for job changes; waits fall back to re-reading every second');
    listening.delete(client);
    return false;
  });
  listening.set(client, started);
  return started;
}

export interface JobWatch { changedOrAfter(ms: number): Promise<void>; cancel(): void }

/**
 * Starts watching a job before the caller reads it, so a change between the read and the wait is not missed.
 * `changedOrAfter` resolves on the next change of that job (in any process) or after `ms`, whichever is first.
 */
export async function watchJob(db: Db, jobId: string, fallbackMs = 1000): Promise<JobWatch> {
  const live = await listen(db);
  let changed = false;
  let wake: (() => void) | undefined;
  const onChange = () => { changed = true; wake?.(); };
  const set = waiters.get(jobId) ?? new Set();
  waiters.set(jobId, set);
  set.add(onChange);
  const cancel = () => {
    set.delete(onChange);
    if (set.size === 0 && waiters.get(jobId) === set) waiters.delete(jobId);
  };
  return {
    cancel,
    changedOrAfter: (ms) => new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); cancel(); resolve(); };
      const timer = setTimeout(done, live ? ms : Math.min(ms, fallbackMs));
      wake = done;
      if (changed) done();
    }),
  };
}
