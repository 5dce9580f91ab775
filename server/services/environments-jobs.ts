// Jobs as the console sees them: one row per requested action, its steps as they run. Only one job per
// environment is queued or running at a time (a partial unique index), so actions never overlap on the engine.
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { environmentJobs, type EnvironmentJob, type JobStep } from '@/db/schema';
import { AppError, isUniqueViolation, notFound } from '@/server/errors';
import { sendJob } from '@/server/jobs/queue';
import { notifyJobChanged, watchJob } from './job-events';

export type JobKind = EnvironmentJob['kind'];

/** Records the job and puts it on the queue, in the caller's transaction. CONFLICT while another job is active. */
export async function enqueueJob(tx: Tx, args: { tenantId: string; siteId: string; environmentId: string; kind: JobKind; params?: Record<string, unknown>; requestedBy: string }): Promise<EnvironmentJob> {
  const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${environmentJobs.number}), 0) + 1` }).from(environmentJobs)
    .where(and(eq(environmentJobs.tenantId, args.tenantId), eq(environmentJobs.environmentId, args.environmentId))) as [{ next: number }];
  let job: EnvironmentJob;
  try {
    // A savepoint: a refused insert must not abort the caller's transaction before we explain why.
    [job] = await tx.transaction((sp) => sp.insert(environmentJobs).values({
      tenantId: args.tenantId, siteId: args.siteId, environmentId: args.environmentId, number: Number(next),
      kind: args.kind, params: args.params ?? {}, requestedBy: args.requestedBy,
    }).returning()) as [EnvironmentJob];
  } catch (err) {
    if (isUniqueViolation(err, 'environment_jobs_one_active_idx')) {
      const [active] = await tx.select().from(environmentJobs).where(and(eq(environmentJobs.tenantId, args.tenantId),
        eq(environmentJobs.environmentId, args.environmentId), sql`${environmentJobs.status} in ('queued', 'running')`));
      throw new AppError('CONFLICT', `A ${active?.kind ?? 'previous'} job (#${active?.number ?? '?'}) is still ${active?.status ?? 'active'} for this environment; wait for it to finish, then try again.`);
    }
    throw err;
  }
  await sendJob(tx, { tenantId: args.tenantId, jobId: job.id });
  return job;
}

export async function listJobs(db: Db, args: { tenantId: string; environmentId: string; limit?: number }): Promise<EnvironmentJob[]> {
  return withTenant(db, args.tenantId, (tx) => tx.select().from(environmentJobs)
    .where(and(eq(environmentJobs.tenantId, args.tenantId), eq(environmentJobs.environmentId, args.environmentId)))
    .orderBy(desc(environmentJobs.number)).limit(args.limit ?? 50));
}

export async function latestJob(tx: Tx, tenantId: string, environmentId: string): Promise<EnvironmentJob | null> {
  const [row] = await tx.select().from(environmentJobs)
    .where(and(eq(environmentJobs.tenantId, tenantId), eq(environmentJobs.environmentId, environmentId)))
    .orderBy(desc(environmentJobs.number)).limit(1);
  return row ?? null;
}

export async function jobByNumber(db: Db, args: { tenantId: string; environmentId: string; number: number }): Promise<EnvironmentJob> {
  const [row] = await withTenant(db, args.tenantId, (tx) => tx.select().from(environmentJobs)
    .where(and(eq(environmentJobs.tenantId, args.tenantId), eq(environmentJobs.environmentId, args.environmentId), eq(environmentJobs.number, args.number))));
  if (!row) throw notFound('job');
  return row;
}

export async function loadJob(db: Db, tenantId: string, jobId: string): Promise<EnvironmentJob | null> {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select().from(environmentJobs)
    .where(and(eq(environmentJobs.tenantId, tenantId), eq(environmentJobs.id, jobId))));
  return row ?? null;
}

export async function updateJob(db: Db, tenantId: string, jobId: string, changes: Partial<Pick<EnvironmentJob, 'status' | 'steps' | 'error' | 'startedAt' | 'finishedAt' | 'heartbeatAt'>>): Promise<void> {
  await withTenant(db, tenantId, async (tx) => {
    await tx.update(environmentJobs).set(changes).where(and(eq(environmentJobs.tenantId, tenantId), eq(environmentJobs.id, jobId)));
    if (changes.status) await notifyJobChanged(tx, jobId); // waiting requests re-read it (not for heartbeats)
  });
}

export const FINISHED_JOB_STATUSES: ReadonlySet<EnvironmentJob['status']> = new Set(['succeeded', 'failed', 'rolled_back']);

/**
 * The job as it stands once it has finished, or once `waitSeconds` have passed: a long poll for scripts that want
 * "provision, then wait until it is done" without asking every few hundred milliseconds. Holds no transaction.
 */
export async function waitForJob(db: Db, read: () => Promise<EnvironmentJob>, waitSeconds: number, stillAllowed: () => Promise<void>): Promise<EnvironmentJob> {
  const deadline = Date.now() + waitSeconds * 1000;
  let job = await read();
  while (!FINISHED_JOB_STATUSES.has(job.status) && Date.now() < deadline) {
    const watch = await watchJob(db, job.id);
    try {
      job = await read(); // read after watching: any change from here on ends the wait
      if (FINISHED_JOB_STATUSES.has(job.status)) break;
      await watch.changedOrAfter(Math.min(deadline - Date.now(), 5_000));
    } finally {
      watch.cancel(); // also when a read fails: no waiter stays behind
    }
    await stillAllowed(); // access was checked when the wait began; a removed grant must not see what follows
    job = await read();
  }
  return job;
}

export type { JobStep };
