// Reads that watch a running environment: its sampled CPU and memory, and its log tail (followed with `since`).
import { z } from 'zod';
import type { Context, Actor } from '@/server/context';
import { CURSOR_HINT, DEFAULT_LOG_LINES, MAX_LOG_LINES, environmentLogTail, parseCursor } from '@/server/services/environment-samples-logs';
import { environmentSampleSeries } from '@/server/services/environment-samples';
import { environmentMembers } from '@/server/services/environments-members';
import { gatewayRuntime } from '@/server/services/environments-runtime';
import { siteProcedure, type TenantScope } from '@/server/trpc';

const one = '/tenants/{tenantId}/sites/{siteId}/environments/{environment}';
const tag = ['environments'];

type Scoped = { ctx: Context & { scope: TenantScope; actor: Actor }; input: { siteId: string; environment: string } };
const ref = ({ ctx, input }: Scoped) => ({ tenantId: ctx.scope.tenantId, siteId: input.siteId, name: input.environment });

const series = z.object({
  samples: z.array(z.object({ sampledAt: z.date(), cpuPercent: z.number(), memoryBytes: z.number() })),
  memoryLimitBytes: z.number().nullable(),
  intervalSeconds: z.number(),
  retention: z.object({ maxSamples: z.number(), maxAgeMs: z.number() }),
  note: z.string().nullable(),
});

const tail = z.object({
  lines: z.array(z.object({ time: z.string().nullable(), stream: z.enum(['stdout', 'stderr']), container: z.string(), text: z.string() })),
  cursor: z.string().nullable(),
  gap: z.boolean(),
  note: z.string().nullable(),
});

const membersAnswer = z.object({
  members: z.array(z.object({
    name: z.string(), port: z.number().nullable(), state: z.string(), health: z.enum(['starting', 'healthy', 'unhealthy', 'none']).nullable(), startedAt: z.date().nullable(),
  })),
  note: z.string().nullable(),
});

/** Spread into the environments router: `environments.samples`, `environments.logs` and `environments.members`. */
export function observeProcedures(named: z.ZodObject<{ environment: z.ZodString }>) {
  return {
    samples: siteProcedure('environment:read')
      .meta({ openapi: { method: 'GET', path: `${one}/samples`, tags: tag, summary: 'CPU (percent of one CPU) and memory samples, oldest first, with the memory limit' } })
      .input(named).output(series)
      .query((opts) => environmentSampleSeries(opts.ctx.db, ref(opts))),

    logs: siteProcedure('environment:read')
      .meta({ openapi: { method: 'GET', path: `${one}/logs`, tags: tag, summary: 'The log tail (secrets redacted); pass the answer\'s cursor as since to follow it' } })
      .input(named.extend({
        lines: z.coerce.number().int('lines is a whole number').min(1, 'lines is at least 1').max(MAX_LOG_LINES, `lines is at most ${MAX_LOG_LINES}`).optional(),
        since: z.string().trim().refine((v) => parseCursor(v) !== null, CURSOR_HINT).optional(),
      })).output(tail)
      .query((opts) => environmentLogTail(opts.ctx.db, gatewayRuntime(), { ...ref(opts), lines: opts.input.lines ?? DEFAULT_LOG_LINES, since: opts.input.since })),

    members: siteProcedure('environment:read')
      .meta({ openapi: { method: 'GET', path: `${one}/members`, tags: tag, summary: "Each gateway (every member of a stack) with its host port and its container's state and health now" } })
      .input(named).output(membersAnswer)
      .query((opts) => environmentMembers(opts.ctx.db, gatewayRuntime(), ref(opts))),
  };
}
