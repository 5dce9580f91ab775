import { z } from 'zod';
import type { Actor, Context } from '@/server/context';
import { router, siteProcedure, type TenantScope } from '@/server/trpc';
import { getBackupSchedule, listBackups, SCHEDULE_LIMITS, setBackupSchedule } from '@/server/services/artifacts-backups';
import { listDeployable, listDeployments, requestDeploy } from '@/server/services/artifacts-deploy';

const tag = ['deployments'];
const one = '/tenants/{tenantId}/sites/{siteId}/environments/{environment}';
const uuid = (what: string) => z.uuid({ message: `${what} must be a UUID` });
const environmentName = z.string().trim().min(1, 'environment is the name of an environment in this site').max(64);
const named = z.object({ environment: environmentName });

const deployment = z.object({
  id: z.string(), versionId: z.string(), versionNumber: z.number(), artifactId: z.string(), artifactName: z.string(), environmentId: z.string(),
  environmentName: z.string(), siteId: z.string(), status: z.string(), error: z.string().nullable(), deployedBy: z.string(), createdAt: z.date(), finishedAt: z.date().nullable(),
});
const schedule = z.object({
  environmentId: z.string(), everyHours: z.number(), keepLast: z.number().nullable(), keepDays: z.number().nullable(), nextRunAt: z.date(), updatedBy: z.string(), updatedAt: z.date(),
});
const limit = (field: keyof typeof SCHEDULE_LIMITS) => {
  const [low, high] = SCHEDULE_LIMITS[field];
  return z.number({ message: `${field} is a number` }).int(`${field} is a whole number`).min(low, `${field} is at least ${low}`).max(high, `${field} is at most ${high}`);
};

type Scoped = { ctx: Context & { scope: TenantScope; actor: Actor }; input: { siteId: string; environment: string } };
const ref = ({ ctx, input }: Scoped) => ({ tenantId: ctx.scope.tenantId, siteId: input.siteId, name: input.environment });
const who = ({ ctx }: Pick<Scoped, 'ctx'>) => ({ actor: ctx.actor, meta: ctx.meta });

export const deploymentsRouter = router({
  deploy: siteProcedure('artifact:deploy')
    .meta({ openapi: { method: 'POST', path: `${one}/deployments`, tags: tag, summary: 'Deploy a project export (import), a module (install and accept) or a gateway backup (restore) to a running gateway' } })
    .input(named.extend({
      versionId: uuid('versionId'),
      projectName: z.string().trim().min(1).max(128).optional(),
    }))
    .output(deployment)
    .mutation((opts) => requestDeploy(opts.ctx.db, { ...ref(opts), ...who(opts), versionId: opts.input.versionId, projectName: opts.input.projectName })),

  list: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: `${one}/deployments`, tags: tag, summary: 'What the environment runs: its deployments, newest first' } })
    .input(named).output(z.array(deployment))
    .query((opts) => listDeployments(opts.ctx.db, ref(opts))),

  deployable: siteProcedure('artifact:deploy')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/sites/{siteId}/deployable', tags: tag, summary: "Project, module and backup versions this site may deploy (the tenant's library and the site's own)" } })
    .output(z.array(z.object({
      id: z.string(), name: z.string(), kind: z.string(), siteId: z.string().nullable(),
      versions: z.array(z.object({ id: z.string(), number: z.number(), filename: z.string(), sizeBytes: z.number(), createdAt: z.date() })),
    })))
    .query(({ ctx, input }) => listDeployable(ctx.db, { tenantId: ctx.scope.tenantId, siteId: input.siteId })),

  backups: siteProcedure('artifact:read')
    .meta({ openapi: { method: 'GET', path: `${one}/backups`, tags: tag, summary: "The versions of the environment's backup artifact, newest first" } })
    .input(named)
    .output(z.object({
      artifactId: z.string().nullable(), artifactName: z.string(),
      versions: z.array(z.object({ id: z.string(), number: z.number(), sizeBytes: z.number(), filename: z.string(), metadata: z.unknown(), uploadedBy: z.string(), createdAt: z.date(), deployed: z.boolean() })),
    }))
    .query((opts) => listBackups(opts.ctx.db, ref(opts))),

  backupSchedule: siteProcedure('environment:read')
    .meta({ openapi: { method: 'GET', path: `${one}/backup-schedule`, tags: tag, summary: "The environment's backup schedule and retention (null when none)" } })
    .input(named).output(schedule.nullable())
    .query((opts) => getBackupSchedule(opts.ctx.db, ref(opts))),

  setBackupSchedule: siteProcedure('environment:operate')
    .meta({ openapi: { method: 'PUT', path: `${one}/backup-schedule`, tags: tag, summary: 'Back up every N hours, keeping the last N and/or N days; or remove the schedule' } })
    .input(named.extend({
      everyHours: limit('everyHours').optional(), keepLast: limit('keepLast').nullable().optional(), keepDays: limit('keepDays').nullable().optional(),
      remove: z.boolean().optional(),
    }))
    .output(schedule.nullable())
    .mutation((opts) => setBackupSchedule(opts.ctx.db, {
      ...ref(opts), ...who(opts), everyHours: opts.input.everyHours, keepLast: opts.input.keepLast, keepDays: opts.input.keepDays, remove: opts.input.remove,
    })),
});
