// Shared by the environment suites: a job worker in this test process on a queue of its own (so the test server's
// worker never takes these jobs), a data dir of its own, and waiting on a job without fixed sleeps.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { expect, inject } from 'vitest';
import { withTenant } from '@/db/client';
import { environmentJobs, environments, portAllocations } from '@/db/schema';
import { startEnvironmentWorker, type Worker } from '@/server/jobs/worker';
import { DockerRuntime } from '@/server/runtime';
import { appDb, ownerDb, type callerFor } from '../helpers/db';

type Caller = ReturnType<typeof callerFor>;

/** Call before anything reads the configuration (config() is read once per test file). */
export async function isolateEnvironmentConfig(overrides: Record<string, string> = {}): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'switchyard-envtest-'));
  Object.assign(process.env, {
    SWITCHYARD_DATA_DIR: dataDir, SWITCHYARD_JOB_QUEUE: `envtest-${randomBytes(4).toString('hex')}`, SWITCHYARD_SECRET_KEY: randomBytes(32).toString('hex'),
    ...overrides,
  });
  return dataDir;
}

export async function startTestWorker(opts: { healthTimeoutMs?: number } = {}): Promise<Worker> {
  return startEnvironmentWorker(inject('ownerDbUrl'), { db: appDb().db, runtime: new DockerRuntime(), healthTimeoutMs: opts.healthTimeoutMs }, { concurrency: 2 });
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const DONE = ['succeeded', 'failed', 'rolled_back'];
type EnvironmentRef = { tenantId: string; siteId: string; environment: string };

/** Waits until job `number` of the environment has finished (the API's own long poll); returns it. */
export async function finishedJob(caller: Caller, ref: EnvironmentRef, number: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const waitSeconds = Math.max(0, Math.min(60, Math.ceil((deadline - Date.now()) / 1000)));
    const job = await caller.environments.job({ ...ref, number, waitSeconds });
    if (DONE.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${number} of ${ref.environment} still ${job.status} after ${timeoutMs} ms; steps: ${JSON.stringify(job.steps)}`);
  }
}

/** Deploys a version and waits for its job; answers the job and the deployment as the environment lists it. */
export async function deployAndWait(caller: Caller, ref: EnvironmentRef, versionId: string, projectName?: string) {
  const queued = await caller.deployments.deploy({ ...ref, versionId, projectName });
  expect(queued).toMatchObject({ status: 'queued', environmentName: ref.environment, versionId });
  const job = await finishedJob(caller, ref, (await caller.environments.get(ref)).latestJob!.number);
  const deployment = (await caller.deployments.list(ref)).find((d) => d.id === queued.id)!;
  return { job, deployment };
}

/** Rows of the environment tables for a tenant, read as the owner (what the app could not hide). */
export async function environmentRowCounts(tenantId: string) {
  return withTenant(ownerDb().db, tenantId, async (tx) => {
    const [envs] = await tx.select({ n: count() }).from(environments).where(eq(environments.tenantId, tenantId));
    const [jobs] = await tx.select({ n: count() }).from(environmentJobs).where(eq(environmentJobs.tenantId, tenantId));
    const [ports] = await tx.select({ n: count() }).from(portAllocations).where(eq(portAllocations.tenantId, tenantId));
    return { environments: envs!.n, jobs: jobs!.n, ports: ports!.n };
  });
}

/** pg-boss entries for this file's queue, to prove a refused request queued nothing. */
export async function queuedCount(): Promise<number> {
  const [row] = await ownerDb().db.execute(sql`select count(*)::int as n from pgboss.job where name = ${process.env.SWITCHYARD_JOB_QUEUE!}`);
  return Number(row!.n);
}

