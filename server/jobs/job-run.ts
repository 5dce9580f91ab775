// What every job kind works with: the job, its environment, its step log, and the gateway it talks to.
import { and, eq } from 'drizzle-orm';
import { type Db, withTenant } from '@/db/client';
import { environments, type Environment, type EnvironmentJob } from '@/db/schema';
import type { RequestMeta } from '@/server/context';
import type { GatewayRuntime } from '@/server/runtime';
import type { Uploader } from '@/server/services/artifacts-upload';
import { environmentPorts } from '@/server/services/environments-ports';
import { openSecret } from '@/server/services/environments-secrets';
import { environmentPlan, portPurposes } from '@/server/services/environments-spec';
import type { ObjectStore } from '@/server/storage';
import type { GatewayEndpoint } from './gateway-api';
import type { StepLog } from './step-log';

export interface JobDeps {
  db: Db;
  runtime: GatewayRuntime;
  /** How long a gateway may take to report healthy (default: from its health check timing; 5 minutes after a restore). */
  healthTimeoutMs?: number;
  /** The artifact store (default: objectStore()). */
  store?: ObjectStore;
}

export type EnvChanges = Partial<Pick<Environment, 'status' | 'lastError' | 'removedAt' | 'spec' | 'desiredState'>>;
export interface Run { deps: JobDeps; env: Environment; job: EnvironmentJob; log: StepLog; params: Record<string, unknown> }

export async function setEnvironment(db: Db, env: Environment, changes: EnvChanges): Promise<void> {
  await withTenant(db, env.tenantId, (tx) => tx.update(environments).set({ ...changes, updatedAt: new Date() })
    .where(and(eq(environments.tenantId, env.tenantId), eq(environments.id, env.id))));
}

/** The plan with every member's host port; `port` is the first member's, where jobs call the gateway API (a stack's first gateway). */
export async function planOf(run: Run) {
  const ports = await withTenant(run.deps.db, run.env.tenantId, (tx) => environmentPorts(tx, run.env.tenantId, run.env.id));
  const port = ports[portPurposes(run.env.spec)[0]!];
  if (port === undefined) throw new Error(`environment "${run.env.name}" holds no host port any more (it was torn down)`);
  return { plan: environmentPlan(run.env, ports), port };
}

/** The gateway's API address and token; a job that needs the API fails in words without a token. */
/** The runtime's provision of the environment's plan, its secrets opened, its steps in the job's log. */
export async function provisionPlan(run: Run, plan: Awaited<ReturnType<typeof planOf>>['plan'], opts: { keepOnFailure?: boolean } = {}): Promise<void> {
  const secretValues = Object.fromEntries(plan.secrets.map((s) => [s.key, openSecret(run.env.adminPasswordSealed)]));
  await run.deps.runtime.provision(plan, { secretValues, onStep: run.log.fromRuntime, keepOnFailure: opts.keepOnFailure, healthTimeoutMs: run.deps.healthTimeoutMs });
}

export async function gatewayOf(run: Run, what: string): Promise<GatewayEndpoint> {
  const { port } = await planOf(run);
  if (!run.env.apiTokenSealed) throw new Error(`no gateway API token is stored for this environment; ${what} needs one`);
  return { port, token: openSecret(run.env.apiTokenSealed) };
}

const TRANSITIONAL = new Set<string>(['backing_up', 'deploying']);

/** The status the environment had before a job that leaves it as it was (backup, deploy). */
export function previousStatus(run: Run): Environment['status'] {
  const previous = run.params.previousStatus;
  return typeof previous === 'string' && !TRANSITIONAL.has(previous) ? previous as Environment['status'] : 'running';
}

/** Whoever requested the job (recorded in its params when queued), for work done on their behalf. */
export function requester(run: Run): Uploader {
  const actor = run.params.actor as Uploader['actor'] | undefined;
  const meta: RequestMeta = { requestId: `job:${run.job.id}`, sourceIp: null, userAgent: null };
  if (actor && (actor.type === 'user' || actor.type === 'token' || actor.type === 'system')) return { actor, meta } as Uploader;
  return { actor: { type: 'system', label: `job #${run.job.number} requested by ${run.job.requestedBy}` }, meta };
}
