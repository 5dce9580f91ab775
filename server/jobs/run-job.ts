// Runs one environment job: each kind is a list of idempotent steps, so a job redelivered after its process died
// simply runs again and finishes (or rolls back). The outcome is written to the job and the environment rows.
import { rm } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import { type Db, withTenant } from '@/db/client';
import { environments, type Environment, type EnvironmentJob } from '@/db/schema';
import { formatBytes } from '@/lib/format/bytes';
import { logger } from '@/server/logger';
import { isRuntimeError } from '@/server/runtime';
import { dropBackupSchedule, storeBackup, type StoredBackup } from '@/server/services/artifacts-backups';
import { FINISHED_JOB_STATUSES, loadJob, updateJob } from '@/server/services/environments-jobs';
import { movePort, releasePorts } from '@/server/services/environments-ports';
import { environmentFolder } from '@/server/services/environments-spec';
import { objectStore } from '@/server/storage';
import { deploy, deployFailed } from './deploy-steps';
import { downloadBackup } from './gateway-api';
import { gatewayOf, planOf, provisionPlan, previousStatus, requester, setEnvironment, type EnvChanges, type JobDeps, type Run } from './job-run';
import { observeJob } from './metrics';
import { heartbeatIntervalMs } from './recovery';
import type { JobRef } from './queue';
import { StepLog } from './step-log';

export type { JobDeps } from './job-run';


/** Network, volumes, secrets, image, create, start, healthy: the runtime's own idempotent steps. */
async function provision(run: Run): Promise<EnvChanges> {
  const keepOnFailure = run.params.keepOnFailure === true;
  const heldElsewhere: number[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const { plan, port } = await planOf(run);
    try {
      await provisionPlan(run, plan, { keepOnFailure });
      return { status: 'running', desiredState: 'running' };
    } catch (err) {
      // A process outside Switchyard holds the allocated port: the runtime has rolled back, so take the next free port.
      if (!isRuntimeError(err, 'PORT_TAKEN') || keepOnFailure || attempt >= PORT_ATTEMPTS) throw err;
      const taken = err.details.port ?? port; // in a stack, any member's port
      heldElsewhere.push(taken);
      await run.log.run('port', () => withTenant(run.deps.db, run.env.tenantId, (tx) => movePort(tx, { tenantId: run.env.tenantId, environmentId: run.env.id, from: taken, avoid: heldElsewhere })),
        (next) => `host port ${taken} is held by something outside Switchyard; moved to ${next}`);
    }
  }
}

const PORT_ATTEMPTS = 3;

async function stop(run: Run): Promise<EnvChanges> {
  const { plan } = await planOf(run);
  await run.log.run('stop', () => run.deps.runtime.stop(plan), (c) => `stopped ${c.map((x) => x.name).join(', ')}`);
  return { status: 'stopped' };
}

/** GET backup streamed into the environment's backup artifact, as the requester (or the scheduler). */
async function takeBackup(run: Run, note: string): Promise<StoredBackup> {
  const body = await downloadBackup(await gatewayOf(run, 'a backup'));
  return storeBackup(run.deps.db, run.deps.store ?? objectStore(), run.env, requester(run), body, { note });
}

function describeBackup(stored: StoredBackup): string {
  const what = stored.created ? `stored version ${stored.number} of "${stored.artifactName}" (${formatBytes(stored.sizeBytes)})`
    : `unchanged since version ${stored.number} of "${stored.artifactName}" (same bytes; no new version)`;
  return stored.pruned.length > 0 ? `${what}; retention removed version${stored.pruned.length > 1 ? 's' : ''} ${stored.pruned.join(', ')}` : what;
}

const KINDS: Record<EnvironmentJob['kind'], (run: Run) => Promise<EnvChanges>> = {
  provision,
  // Provisioning again creates whatever is missing, so a start also repairs a gateway removed by hand.
  start: provision,
  // A stopped gateway stays stopped after a change: re-created with the new spec, then stopped again.
  change: async (run) => {
    const running = await provision(run);
    return run.env.desiredState === 'stopped' ? stop(run) : running;
  },
  stop,
  restart: async (run) => {
    const { plan } = await planOf(run);
    await run.log.run('restart', () => run.deps.runtime.restart(plan, { healthTimeoutMs: run.deps.healthTimeoutMs }), (c) => `restarted ${c.map((x) => x.name).join(', ')}; healthy`);
    return { status: 'running' };
  },
  backup: async (run) => {
    await run.log.run('backup', () => takeBackup(run, run.params.scheduled === true ? 'scheduled backup' : ''), describeBackup);
    return { status: previousStatus(run) };
  },
  deploy,
  teardown: async (run) => {
    const { plan } = await planOf(run);
    if (run.params.finalBackup === true) await run.log.run('final backup', () => takeBackup(run, 'final backup before teardown'), describeBackup);
    const keepData = run.params.keepData === true;
    await run.log.run('remove', () => run.deps.runtime.destroy(plan, { keepVolumes: keepData }),
      (r) => `removed ${[...r.containers, ...r.volumes, ...(r.network ? [r.network] : [])].join(', ') || 'nothing (already gone)'}${keepData ? '; data volume kept' : ''}`);
    await run.log.run('release', async () => {
      await withTenant(run.deps.db, run.env.tenantId, async (tx) => {
        await releasePorts(tx, run.env.tenantId, run.env.id);
        await dropBackupSchedule(tx, run.env);
      });
      await rm(environmentFolder(run.env), { recursive: true, force: true });
    }, () => 'host port, secret files and backup schedule released (stored backups are kept)');
    return { status: 'removed', desiredState: 'absent', removedAt: new Date() };
  },
};

/** The environment's status after a failed job: most failures leave it failed; a backup or deploy says otherwise. */
const AFTER_FAILURE: Partial<Record<EnvironmentJob['kind'], (run: Run, message: string) => Promise<Environment['status'] | undefined>>> = {
  backup: async (run) => previousStatus(run),
  deploy: deployFailed,
};

/** What a person reads when a job fails: the runtime's own words, or the error's message. */
function explain(err: unknown): string {
  if (isRuntimeError(err)) return err.details.cleanupFailed ? `${err.message} (cleanup also failed: ${err.details.cleanupFailed})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

type JobOutcome = Parameters<typeof updateJob>[3];

/** The environment's new state and the job's outcome in one transaction: nobody reads one without the other. */
async function settle(db: Db, env: Environment, jobId: string, envChanges: EnvChanges, outcome: JobOutcome): Promise<void> {
  await withTenant(db, env.tenantId, async (tx) => {
    const joined = tx as unknown as Db; // the services' own withTenant joins this transaction (db/client.ts)
    await setEnvironment(joined, env, envChanges);
    await updateJob(joined, env.tenantId, jobId, outcome);
  });
}

/** Loads the job and its environment and marks it running, in one transaction; null when there is nothing to run. */
async function openJob(db: Db, ref: JobRef): Promise<{ job: EnvironmentJob; env: Environment } | null> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const joined = tx as unknown as Db;
    const job = await loadJob(joined, ref.tenantId, ref.jobId);
    if (!job || FINISHED_JOB_STATUSES.has(job.status)) return null; // redelivered after it finished
    const [env] = await tx.select().from(environments).where(and(eq(environments.tenantId, ref.tenantId), eq(environments.id, job.environmentId)));
    if (!env) return null; // its environment is gone
    await updateJob(joined, ref.tenantId, job.id, { status: 'running', startedAt: job.startedAt ?? new Date(), heartbeatAt: new Date() });
    return { job, env };
  });
}

export async function runEnvironmentJob(deps: JobDeps, ref: JobRef): Promise<void> {
  const opened = await openJob(deps.db, ref);
  if (!opened) return;
  const { job, env } = opened;
  const resumed = job.status === 'running';
  // A step left running by a dead worker did not finish; say so rather than show it running forever.
  const steps = job.steps.map((s) => (s.status === 'running' ? { ...s, status: 'failed' as const, finishedAt: new Date().toISOString(), detail: 'interrupted: the worker stopped' } : s));
  const log = new StepLog(deps.db, ref.tenantId, job.id, steps);
  if (resumed) log.record({ name: 'resume', status: 'done', startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(), detail: 'the previous run stopped half-way; running the steps again' });
  const run: Run = { deps, env, job, log, params: (job.params ?? {}) as Record<string, unknown> };
  const began = Date.now();
  const heartbeat = setInterval(() => {
    updateJob(deps.db, ref.tenantId, job.id, { heartbeatAt: new Date() }).catch(() => { /* the next beat tries again */ });
  }, heartbeatIntervalMs());
  try {
    const changes = await KINDS[job.kind](run);
    await log.flushed();
    await settle(deps.db, env, job.id, { ...changes, lastError: null }, { status: 'succeeded', finishedAt: new Date(), error: null });
    observeJob(job.kind, 'succeeded', (Date.now() - began) / 1000);
  } catch (err) {
    await log.flushed();
    const message = explain(err);
    const rolledBack = log.steps.some((s) => s.name === 'rollback' && s.status === 'done');
    const restore: EnvChanges = job.kind === 'change' ? { spec: run.params.previousSpec as Environment['spec'] } : {};
    const status = (await AFTER_FAILURE[job.kind]?.(run, message).catch((err: unknown) => {
      logger.error({ err, jobId: job.id, kind: job.kind }, 'putting things back after a failed job failed too');
      return undefined;
    })) ?? 'failed';
    await settle(deps.db, env, job.id, { ...restore, status, lastError: message }, { status: rolledBack ? 'rolled_back' : 'failed', finishedAt: new Date(), error: message });
    observeJob(job.kind, rolledBack ? 'rolled_back' : 'failed', (Date.now() - began) / 1000);
  } finally {
    clearInterval(heartbeat);
  }
}
