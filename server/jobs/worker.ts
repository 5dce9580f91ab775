// The job worker: in the app process by default (SWITCHYARD_WORKER=false turns it off), or in a process of its own.
import type PgBoss from 'pg-boss';
import { logger } from '@/server/logger';
import { queueName, startQueue, type JobRef } from './queue';
import { config } from '@/server/config';
import { collectAllTenants } from '@/server/services/artifacts-gc';
import { objectStore } from '@/server/storage';
import { startBackupScheduler } from './backup-scheduler';
import { startPeriodic } from './periodic';
import { productReconciler } from './reconcile';
import { watchStalledJobs } from './recovery';
import { runEnvironmentJob, type JobDeps } from './run-job';
import { startSampler } from './sampler';
import { listenForQueuedJobs } from './wake';

const GARBAGE_COLLECTION_SECONDS = 3600;

export interface Worker { boss: PgBoss; stop(): Promise<void> }

export async function startEnvironmentWorker(ownerUrl: string, deps: JobDeps, opts: { concurrency?: number } = {}): Promise<Worker> {
  const boss = await startQueue(ownerUrl);
  const workerIds: string[] = [];
  let wakeUp: Awaited<ReturnType<typeof listenForQueuedJobs>>;
  try {
    // Each registration takes one job at a time; several let different environments progress together.
    for (let i = 0; i < (opts.concurrency ?? config().SWITCHYARD_JOB_CONCURRENCY); i += 1) {
      workerIds.push(await boss.work<JobRef>(queueName(), { batchSize: 1, pollingIntervalSeconds: 2 }, async (jobs) => {
        for (const job of jobs) {
          logger.debug({ jobId: job.data.jobId, tenantId: job.data.tenantId }, 'environment job started');
          await runEnvironmentJob(deps, job.data);
          logger.debug({ jobId: job.data.jobId, tenantId: job.data.tenantId }, 'environment job finished');
        }
      }));
    }
    wakeUp = await listenForQueuedJobs(ownerUrl, queueName(), () => { for (const id of workerIds) boss.notifyWorker(id); });
  } catch (err) {
    await boss.stop({ graceful: false, wait: true }); // a half-started worker must not keep taking jobs
    throw err;
  }
  const watcher = watchStalledJobs(boss, ownerUrl, deps.db);
  return {
    boss,
    stop: async () => {
      await wakeUp.stop();
      await watcher.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}

/** The sampler's interval from SWITCHYARD_SAMPLER and SWITCHYARD_SAMPLE_SECONDS; null when it is turned off. */
export const configuredSampleSeconds = (): number | null => (config().SWITCHYARD_SAMPLER ? config().SWITCHYARD_SAMPLE_SECONDS : null);

/** The backup scheduler's interval from SWITCHYARD_BACKUP_SCHEDULER and SWITCHYARD_BACKUP_SCHEDULER_SECONDS; null when off. */
export const configuredBackupSchedulerSeconds = (): number | null =>
  (config().SWITCHYARD_BACKUP_SCHEDULER ? config().SWITCHYARD_BACKUP_SCHEDULER_SECONDS : null);

/**
 * At start: the queue is always installed (requests send to it); the worker runs here unless turned off, and the
 * reconciler, the stats sampler and the backup scheduler beside it unless turned off (reconcileSeconds, sampleSeconds,
 * backupSchedulerSeconds null; the last two default to the configuration). Stops those three first (no repair starts while jobs wind down).
 */
export async function startJobs(
  ownerUrl: string, deps: JobDeps, opts: { worker: boolean; reconcileSeconds: number | null; sampleSeconds?: number | null; backupSchedulerSeconds?: number | null },
): Promise<{ stop(): Promise<void> }> {
  let worker: Worker | null = null;
  if (opts.worker) worker = await startEnvironmentWorker(ownerUrl, deps);
  else await (await startQueue(ownerUrl)).stop({ graceful: false, wait: true });
  const reconciler = opts.reconcileSeconds === null ? null : productReconciler({ db: deps.db, runtime: deps.runtime, intervalSeconds: opts.reconcileSeconds });
  reconciler?.watch();
  const sampleSeconds = opts.sampleSeconds === undefined ? configuredSampleSeconds() : opts.sampleSeconds;
  const sampler = sampleSeconds === null ? null : startSampler({ db: deps.db, runtime: deps.runtime, intervalSeconds: sampleSeconds });
  const backupSeconds = opts.backupSchedulerSeconds === undefined ? configuredBackupSchedulerSeconds() : opts.backupSchedulerSeconds;
  const backups = backupSeconds === null ? null : startBackupScheduler({ db: deps.db, intervalSeconds: backupSeconds });
  // Bytes no version refers to any more (deleted versions, failed commits, abandoned uploads), every tenant in turn.
  const collector = opts.worker
    ? startPeriodic({ name: 'artifact garbage collection', intervalSeconds: GARBAGE_COLLECTION_SECONDS, pass: () => collectAllTenants(deps.db, objectStore()) })
    : null;
  return {
    stop: async () => {
      await Promise.all([reconciler?.stop(), sampler?.stop(), backups?.stop(), collector?.stop()]);
      await worker?.stop();
    },
  };
}
