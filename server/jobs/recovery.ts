// Jobs whose worker died: pg-boss still holds them as active, and their heartbeat has stopped. Failing them in
// pg-boss makes it deliver them again (within the retry limit); the job then resumes, its steps being idempotent.
import type PgBoss from 'pg-boss';
import postgres from 'postgres';
import type { Db } from '@/db/client';
import { config } from '@/server/config';
import { logger } from '@/server/logger';
import { loadJob } from '@/server/services/environments-jobs';
import { countQueueWith } from './metrics';
import { PGBOSS_SCHEMA, queueName, type JobRef } from './queue';

const staleMs = () => config().SWITCHYARD_JOB_STALE_SECONDS * 1000;
export const heartbeatIntervalMs = () => Math.max(500, Math.floor(staleMs() / 4));

interface ActiveEntry { id: string; data: JobRef; started_on: Date }

/** One sweep: returns the ids of the jobs handed back to the queue. */
export async function recoverStalledJobs(boss: PgBoss, owner: postgres.Sql, db: Db): Promise<string[]> {
  const active = await owner.unsafe<ActiveEntry[]>(
    `select id, data, started_on from ${PGBOSS_SCHEMA}.job where name = $1 and state = 'active'`, [queueName()]);
  const cutoff = Date.now() - staleMs();
  const recovered: string[] = [];
  for (const entry of active) {
    const job = await loadJob(db, entry.data.tenantId, entry.data.jobId);
    const lastSign = job?.heartbeatAt ?? entry.started_on;
    if (job && !['queued', 'running'].includes(job.status)) continue; // finished; pg-boss will be told by its worker
    if (new Date(lastSign).getTime() > cutoff) continue;
    await boss.fail(queueName(), entry.id, { reason: 'worker stopped sending heartbeats' });
    recovered.push(entry.data.jobId);
  }
  if (recovered.length > 0) logger.warn({ jobs: recovered }, 'environment jobs of a stopped worker handed back to the queue');
  return recovered;
}

/** Sweeps now and then every stale period, until stopped. */
export function watchStalledJobs(boss: PgBoss, ownerUrl: string, db: Db): { stop(): Promise<void> } {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  countQueueWith(owner);
  const sweep = () => recoverStalledJobs(boss, owner, db).catch((err: unknown) => logger.warn({ err }, 'stalled-job sweep failed; retrying later'));
  void sweep();
  const timer = setInterval(() => void sweep(), staleMs());
  return {
    stop: async () => {
      clearInterval(timer);
      countQueueWith(undefined);
      await owner.end({ timeout: 5 });
    },
  };
}
