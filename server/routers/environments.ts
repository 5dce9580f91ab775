import { z } from 'zod';
import { ENVIRONMENT_STAGES } from '@/db/schema';
import type { Actor, Context } from '@/server/context';
import { router, siteProcedure, tenantProcedure, type TenantScope } from '@/server/trpc';
import {
  createEnvironment, deleteEnvironment, environmentCompose, environmentJob, environmentJobs, getEnvironment, listEnvironments, operateEnvironment,
  updateEnvironment, type Operation,
} from '@/server/services/environments';
import { gatewayRuntime } from '@/server/services/environments-runtime';
import { changeQuota, quotaOverview } from '@/server/services/quotas';
import { observeProcedures } from './environments-observe';
import { waitForJob } from '@/server/services/environments-jobs';

// A long poll holds a connection to the caller (not to the database); a minute is plenty between two asks.
const MAX_JOB_WAIT_SECONDS = 60;

const tag = ['environments'];
const base = '/tenants/{tenantId}/sites/{siteId}/environments';
const one = `${base}/{environment}`;

const environmentName = z.string().trim()
  .regex(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/, 'Environment names are 2-32 lowercase letters, digits and dashes, starting with a letter (e.g. "dev", "line-2-prod")');
const named = z.object({ environment: environmentName });
const specInput = z.record(z.string(), z.unknown(), { message: 'spec is an object: the gateway spec (version, memory, ...) or a stack (gateways: [...])' });

const step = z.object({ name: z.string(), status: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(), detail: z.string() });
const job = z.object({
  id: z.string(), number: z.number(), kind: z.string(), status: z.string(), steps: z.array(step), error: z.string().nullable(),
  requestedBy: z.string(), createdAt: z.date(), startedAt: z.date().nullable(), finishedAt: z.date().nullable(),
});
const environment = z.object({
  id: z.string(), siteId: z.string(), name: z.string(), stage: z.enum(ENVIRONMENT_STAGES), spec: z.unknown(),
  desiredState: z.string(), status: z.string(), lastError: z.string().nullable(), httpPort: z.number().nullable(), ports: z.record(z.string(), z.number()),
  createdBy: z.string(), createdAt: z.date(), updatedAt: z.date(), removedAt: z.date().nullable(), latestJob: job.nullable(),
});

const quotaAnswer = z.object({
  quota: z.object({ maxEnvironments: z.number(), maxCpus: z.number(), maxMemoryMib: z.number() }),
  usage: z.object({ environments: z.number(), cpus: z.number(), memoryMib: z.number() }),
});

// The ladder has checked the actor and the scope by the time a resolver runs.
type Scoped = { ctx: Context & { scope: TenantScope; actor: Actor }; input: { siteId: string; environment: string } };
const ref = ({ ctx, input }: Scoped) => ({ tenantId: ctx.scope.tenantId, siteId: input.siteId, name: input.environment });
const who = ({ ctx }: Pick<Scoped, 'ctx'>) => ({ actor: ctx.actor, meta: ctx.meta });

const operation = (op: Operation, summary: string) => siteProcedure('environment:operate')
  .meta({ openapi: { method: 'POST', path: `${one}/${op}`, tags: tag, summary } })
  .input(named).output(environment)
  .mutation((opts) => operateEnvironment(opts.ctx.db, gatewayRuntime(), { ...ref(opts), ...who(opts), operation: op }));

// Procedures that use an environment take its name: unique among the site's live environments, like a repository's.
// `create` comes first so walks over the router meet an environment that exists.
export const environmentsRouter = router({
  create: siteProcedure('environment:provision')
    .meta({ openapi: { method: 'POST', path: base, tags: tag, summary: 'Request a gateway: checks quota, allocates its port and queues the provision' } })
    .input(z.object({
      name: environmentName, stage: z.enum(ENVIRONMENT_STAGES, { message: `stage is one of ${ENVIRONMENT_STAGES.join(', ')}` }), spec: specInput,
      apiToken: z.string().min(8, 'apiToken is the gateway API token (at least 8 characters)').max(512).optional(),
      keepOnFailure: z.boolean().optional(),
    }))
    .output(z.object({ environment, adminPassword: z.string() }))
    .mutation(({ ctx, input }) => createEnvironment(ctx.db, gatewayRuntime(), {
      tenantId: ctx.scope.tenantId, siteId: input.siteId, name: input.name, stage: input.stage, spec: input.spec,
      apiToken: input.apiToken, keepOnFailure: input.keepOnFailure, ...who({ ctx }),
    })),

  list: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: base, tags: tag, summary: "The site's environments with their latest job" } })
    .input(z.object({ includeRemoved: z.boolean().optional() })).output(z.array(environment))
    .query(({ ctx, input }) => listEnvironments(ctx.db, { tenantId: ctx.scope.tenantId, siteId: input.siteId, includeRemoved: input.includeRemoved })),

  get: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: one, tags: tag, summary: 'One environment, with its latest job and steps' } })
    .input(named).output(environment)
    .query((opts) => getEnvironment(opts.ctx.db, ref(opts))),

  compose: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: `${one}/compose`, tags: tag, summary: 'The Compose file rendered from the same plan the runtime provisions' } })
    .input(named).output(z.object({ fileName: z.string(), yaml: z.string() }))
    .query(async (opts) => ({ fileName: `${opts.input.environment}.compose.yaml`, yaml: await environmentCompose(opts.ctx.db, ref(opts)) })),

  jobs: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: `${one}/jobs`, tags: tag, summary: "The environment's jobs, newest first" } })
    .input(named).output(z.array(job))
    .query((opts) => environmentJobs(opts.ctx.db, ref(opts))),

  job: siteProcedure('environment:read', { waits: true })
    .meta({ openapi: { method: 'GET', path: `${one}/jobs/{number}`, tags: tag, summary: 'One job and its steps, by its number; with waitSeconds, answers once it has finished (or the wait is over)' } })
    .input(named.extend({
      number: z.coerce.number().int().min(1, 'job numbers start at 1'),
      waitSeconds: z.coerce.number().int().min(0).max(MAX_JOB_WAIT_SECONDS, `waitSeconds is 0 to ${MAX_JOB_WAIT_SECONDS}`).optional(),
    })).output(job)
    .query((opts) => {
      const read = () => environmentJob(opts.ctx.db, { ...ref(opts), number: opts.input.number });
      return waitForJob(opts.ctx.db, read, opts.input.waitSeconds ?? 0, opts.ctx.stillAllowed);
    }),

  ...observeProcedures(named),

  update: siteProcedure('environment:provision')
    .meta({ openapi: { method: 'PATCH', path: one, tags: tag, summary: 'Change the spec (size, version, options); re-created with its data kept' } })
    .input(named.extend({ spec: specInput })).output(environment)
    .mutation((opts) => updateEnvironment(opts.ctx.db, gatewayRuntime(), { ...ref(opts), ...who(opts), spec: opts.input.spec })),

  start: operation('start', 'Start the gateway'),
  stop: operation('stop', 'Stop the gateway'),
  restart: operation('restart', 'Restart the gateway'),
  backup: operation('backup', "Take a gateway backup (.gwbk) into the environment's backup artifact"),

  quota: tenantProcedure('billing:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/quota', tags: tag, summary: "The tenant's environment quota and current use" } })
    .output(quotaAnswer)
    .query(({ ctx }) => quotaOverview(ctx.db, ctx.scope.tenantId)),

  setQuota: tenantProcedure('billing:manage')
    .meta({ openapi: { method: 'PUT', path: '/tenants/{tenantId}/quota', tags: tag, summary: "Set the tenant's environment quota" } })
    .input(z.object({
      maxEnvironments: z.number().int('maxEnvironments is a whole number').min(0).max(10_000),
      maxCpus: z.number().min(0, 'maxCpus is 0 or more').max(10_000),
      maxMemoryMib: z.number().int('maxMemoryMib is a whole number of MiB').min(0).max(100_000_000),
    }))
    .output(quotaAnswer)
    .mutation(({ ctx, input }) => changeQuota(ctx.db, { tenantId: ctx.scope.tenantId, quota: { maxEnvironments: input.maxEnvironments, maxCpus: input.maxCpus, maxMemoryMib: input.maxMemoryMib }, ...who({ ctx }) })),

  delete: siteProcedure('environment:delete')
    .meta({ openapi: { method: 'POST', path: `${one}/teardown`, tags: tag, summary: 'Tear down: confirm with the name; keep or remove the data; optional final backup' } })
    .input(named.extend({ confirm: z.string(), keepData: z.boolean().optional(), finalBackup: z.boolean().optional() })).output(environment)
    .mutation((opts) => deleteEnvironment(opts.ctx.db, gatewayRuntime(), { ...ref(opts), ...who(opts), confirm: opts.input.confirm, keepData: opts.input.keepData, finalBackup: opts.input.finalBackup })),
});
