// Environments: a gateway per site and stage. Requests are checked and recorded here (quota, ports, sealed
// secrets, audit, the job) in one transaction; the engine work runs later as a job (server/jobs).
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { environments, sites, tenants, type Environment, type EnvironmentJob } from '@/db/schema';
import { renderCompose } from '@/lib/gateway';
import type { Actor, RequestMeta } from '@/server/context';
import { actorLabel, recordedActorLabel } from '@/server/context';
import { AppError, isUniqueViolation, notFound } from '@/server/errors';
import type { GatewayRuntime } from '@/server/runtime';
import { recordAudit, type AuditInput } from './audit';
import { enqueueJob, jobByNumber, latestJob, listJobs, type JobKind } from './environments-jobs';
import { allocatePorts, environmentPorts } from './environments-ports';
import { requireRuntime } from './environments-runtime';
import { generatePassword, sealSecret } from './environments-secrets';
import { checkSpec, environmentPlan, memberPorts, portPurposes } from './environments-spec';
import { assertWithinQuota } from './quotas';

export interface EnvironmentView {
  id: string; siteId: string; name: string; stage: Environment['stage']; spec: unknown;
  desiredState: Environment['desiredState']; status: Environment['status']; lastError: string | null;
  /** The first member's HTTP port (the only one of a single gateway); `ports` has every member's by name. */
  httpPort: number | null; ports: Record<string, number>; createdBy: string; createdAt: Date; updatedAt: Date; removedAt: Date | null;
  latestJob: EnvironmentJob | null;
}

interface Who { actor: Actor; meta: RequestMeta }
interface Ref { tenantId: string; siteId: string; name: string }

const TRANSITIONAL: Record<JobKind, Environment['status']> = {
  provision: 'provisioning', change: 'changing', start: 'starting', stop: 'stopping', restart: 'restarting', backup: 'backing_up', deploy: 'deploying', teardown: 'tearing_down',
};

/** The live environment of that name in the site, or else the latest torn-down one (its history stays readable). */
export async function findEnvironment(tx: Tx, ref: Ref): Promise<Environment> {
  const [row] = await tx.select().from(environments)
    .where(and(eq(environments.tenantId, ref.tenantId), eq(environments.siteId, ref.siteId), eq(environments.name, ref.name)))
    .orderBy(sql`${environments.removedAt} desc nulls first`, desc(environments.createdAt)).limit(1);
  if (!row) throw notFound('environment');
  return row;
}

/** Listed field by field: sealed secrets and engine names never leave the service. */
function viewOf(env: Environment, held: Record<string, number>, job: EnvironmentJob | null): EnvironmentView {
  const { id, siteId, name, stage, spec, desiredState, status, lastError, createdBy, createdAt, updatedAt, removedAt } = env;
  return { id, siteId, name, stage, spec, desiredState, status, lastError, createdBy, createdAt, updatedAt, removedAt,
    httpPort: held[portPurposes(spec)[0]!] ?? null, ports: memberPorts(spec, name, held), latestJob: job };
}

async function view(tx: Tx, env: Environment): Promise<EnvironmentView> {
  return viewOf(env, await environmentPorts(tx, env.tenantId, env.id), await latestJob(tx, env.tenantId, env.id));
}

export async function listEnvironments(db: Db, args: { tenantId: string; siteId: string; includeRemoved?: boolean }): Promise<EnvironmentView[]> {
  return withTenant(db, args.tenantId, async (tx) => {
    const rows = await tx.select().from(environments)
      .where(and(eq(environments.tenantId, args.tenantId), eq(environments.siteId, args.siteId), args.includeRemoved ? undefined : isNull(environments.removedAt)))
      .orderBy(asc(environments.name), desc(environments.createdAt));
    return Promise.all(rows.map((row) => view(tx, row)));
  });
}

export async function getEnvironment(db: Db, ref: Ref): Promise<EnvironmentView> {
  return withTenant(db, ref.tenantId, async (tx) => view(tx, await findEnvironment(tx, ref)));
}

export function assertLive(env: Environment, what: string): void {
  if (env.removedAt) throw new AppError('CONFLICT', `Environment "${env.name}" was torn down; ${what} needs a live environment. Create it again to use the name.`);
}

export interface CreateInput extends Ref, Who {
  stage: Environment['stage'];
  spec: Record<string, unknown>;
  /** The gateway's API token (created in the gateway), used for backups; stored sealed. */
  apiToken?: string;
  keepOnFailure?: boolean;
}

/** Checks everything, then records the environment, its port, sealed password and provision job at once. */
export async function createEnvironment(db: Db, runtime: GatewayRuntime, args: CreateInput): Promise<{ environment: EnvironmentView; adminPassword: string }> {
  const { resources } = checkSpec(args.spec, args.name);
  await requireRuntime(runtime);
  const adminPassword = generatePassword();
  try {
    return await withTenant(db, args.tenantId, async (tx) => {
      const [names] = await tx.select({ tenant: tenants.slug, site: sites.slug }).from(sites).innerJoin(tenants, eq(tenants.id, sites.tenantId))
        .where(and(eq(sites.tenantId, args.tenantId), eq(sites.id, args.siteId)));
      if (!names) throw notFound('site');
      const [env] = await tx.insert(environments).values({
        tenantId: args.tenantId, siteId: args.siteId, name: args.name, stage: args.stage, spec: args.spec,
        runtimeTenant: names.tenant, runtimeSite: names.site, adminPasswordSealed: sealSecret(adminPassword),
        apiTokenSealed: args.apiToken ? sealSecret(args.apiToken) : null, createdBy: actorLabel(args.actor),
      }).returning() as [Environment];
      // The tenant's quota lock is held from here to the commit, so concurrent creations queue only for what follows.
      await assertWithinQuota(tx, args.tenantId, { environments: 1, cpus: resources.cpus, memoryMib: resources.memoryMiB }, env.id);
      const ports = await allocatePorts(tx, { tenantId: args.tenantId, environmentId: env.id, purposes: portPurposes(args.spec) });
      environmentPlan(env, ports); // the plan must build before anything is queued
      const job = await enqueueJob(tx, { tenantId: args.tenantId, siteId: args.siteId, environmentId: env.id, kind: 'provision', params: { keepOnFailure: args.keepOnFailure ?? false }, requestedBy: actorLabel(args.actor) });
      await recordAudit(tx, { tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'environment.create', resourceType: 'environment', resourceId: env.id,
        changes: { siteId: args.siteId, name: args.name, stage: args.stage, spec: args.spec, ports } });
      return { environment: viewOf(env, ports, job), adminPassword };
    });
  } catch (err) {
    if (isUniqueViolation(err, 'environments_site_name_idx')) throw new AppError('CONFLICT', `An environment named "${args.name}" already exists in this site. Choose another name.`, 'name');
    throw err;
  }
}

/** Who asks for a job: a person, a token, or Switchyard itself (the backup scheduler) by a label. */
export type JobActor = AuditInput['actor'];

/**
 * Queues the job and moves the environment into the job's transitional state, in the caller's transaction. The
 * actor rides along in the params, so work the job does on their behalf (a backup version) is theirs. No audit.
 */
export async function startJob(tx: Tx, env: Environment, kind: JobKind, args: { actor: JobActor; params?: Record<string, unknown>; desiredState?: Environment['desiredState'] }) {
  const job = await enqueueJob(tx, { tenantId: env.tenantId, siteId: env.siteId, environmentId: env.id, kind, requestedBy: recordedActorLabel(args.actor),
    params: { previousStatus: env.status, actor: args.actor, ...args.params } });
  const [updated] = await tx.update(environments).set({ status: TRANSITIONAL[kind], desiredState: args.desiredState ?? env.desiredState, updatedAt: new Date() })
    .where(and(eq(environments.tenantId, env.tenantId), eq(environments.id, env.id))).returning() as [Environment];
  return { job, environment: updated };
}

/** startJob, audited as `environment.<action>`; answers the environment's view. */
export async function requestJob(tx: Tx, env: Environment, kind: JobKind, args: { actor: JobActor; meta?: RequestMeta; params?: Record<string, unknown>; desiredState?: Environment['desiredState']; action: string; changes?: Record<string, unknown> }) {
  const { job, environment } = await startJob(tx, env, kind, args);
  await recordAudit(tx, { tenantId: env.tenantId, actor: args.actor, meta: args.meta, action: `environment.${args.action}`, resourceType: 'environment', resourceId: env.id,
    changes: { name: env.name, job: job.number, ...args.changes } });
  return view(tx, environment);
}

/** A new spec (size, version, options): re-created with the data volume kept. Quota is checked on the new size. */
export async function updateEnvironment(db: Db, runtime: GatewayRuntime, args: Ref & Who & { spec: Record<string, unknown> }): Promise<EnvironmentView> {
  const { resources } = checkSpec(args.spec, args.name);
  await requireRuntime(runtime);
  return withTenant(db, args.tenantId, async (tx) => {
    const env = await findEnvironment(tx, args);
    assertLive(env, 'a change');
    assertSameMembers(env, args.spec);
    await assertWithinQuota(tx, args.tenantId, { environments: 0, cpus: resources.cpus, memoryMib: resources.memoryMiB }, env.id);
    await tx.update(environments).set({ spec: args.spec }).where(and(eq(environments.tenantId, env.tenantId), eq(environments.id, env.id)));
    return requestJob(tx, { ...env, spec: args.spec }, 'change', { ...args, action: 'update', params: { previousSpec: env.spec }, changes: { spec: args.spec } });
  });
}

/** A change keeps the members (and so their ports and data volumes); other members need a new environment. */
function assertSameMembers(env: Environment, spec: Record<string, unknown>): void {
  const [before, after] = [portPurposes(env.spec), portPurposes(spec)];
  if (before.join(',') !== after.join(',')) {
    const names = (purposes: string[]) => (purposes[0] === 'http' ? 'one gateway' : `a stack of ${purposes.map((p) => p.slice('http:'.length)).join(', ')}`);
    throw new AppError('BAD_REQUEST', `Environment "${env.name}" holds ${names(before)}; a change keeps the same gateways (this spec gives ${names(after)}). Create another environment for other gateways.`, 'spec');
  }
}

export type Operation = 'start' | 'stop' | 'restart' | 'backup';
const DESIRED: Partial<Record<Operation, Environment['desiredState']>> = { start: 'running', stop: 'stopped', restart: 'running' };

export async function operateEnvironment(db: Db, runtime: GatewayRuntime, args: Ref & Who & { operation: Operation }): Promise<EnvironmentView> {
  await requireRuntime(runtime);
  return withTenant(db, args.tenantId, async (tx) => {
    const env = await findEnvironment(tx, args);
    assertLive(env, `${args.operation}`);
    if (args.operation === 'backup' && !env.apiTokenSealed) {
      throw new AppError('PRECONDITION_FAILED', `Environment "${env.name}" has no gateway API token, which a backup needs. Create the environment with apiToken set.`);
    }
    return requestJob(tx, env, args.operation, { ...args, action: args.operation, desiredState: DESIRED[args.operation] });
  });
}

/** Tear down: the name typed again confirms it. Keeps the data volume when asked; optionally a final backup first. */
export async function deleteEnvironment(db: Db, runtime: GatewayRuntime, args: Ref & Who & { confirm: string; keepData?: boolean; finalBackup?: boolean }): Promise<EnvironmentView> {
  if (args.confirm !== args.name) throw new AppError('BAD_REQUEST', `Type the environment's name, "${args.name}", to confirm the teardown.`, 'confirm');
  await requireRuntime(runtime);
  return withTenant(db, args.tenantId, async (tx) => {
    const env = await findEnvironment(tx, args);
    assertLive(env, 'a teardown');
    if (args.finalBackup && !env.apiTokenSealed) throw new AppError('PRECONDITION_FAILED', 'A final backup needs the gateway API token; tear down without finalBackup, or create environments with apiToken.', 'finalBackup');
    const params = { keepData: args.keepData ?? false, finalBackup: args.finalBackup ?? false };
    return requestJob(tx, env, 'teardown', { ...args, action: 'delete', desiredState: 'absent', params, changes: params });
  });
}

/** The Compose file for the environment, rendered from the same plan the runtime provisions. */
export async function environmentCompose(db: Db, ref: Ref): Promise<string> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const env = await findEnvironment(tx, ref);
    assertLive(env, 'a Compose file');
    const ports = await environmentPorts(tx, env.tenantId, env.id);
    if (Object.keys(ports).length === 0) throw new AppError('CONFLICT', `Environment "${env.name}" holds no host port; it is being torn down.`);
    return renderCompose(environmentPlan(env, ports), { sourcePaths: 'absolute' });
  });
}

/** The environment's jobs, newest first (a torn-down environment's history included). */
export async function environmentJobs(db: Db, ref: Ref): Promise<EnvironmentJob[]> {
  const env = await withTenant(db, ref.tenantId, (tx) => findEnvironment(tx, ref));
  return listJobs(db, { tenantId: ref.tenantId, environmentId: env.id });
}

export async function environmentJob(db: Db, ref: Ref & { number: number }): Promise<EnvironmentJob> {
  const env = await withTenant(db, ref.tenantId, (tx) => findEnvironment(tx, ref));
  return jobByNumber(db, { tenantId: ref.tenantId, environmentId: env.id, number: ref.number });
}
