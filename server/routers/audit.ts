import { z } from 'zod';
import { router, tenantProcedure } from '@/server/trpc';
import { listAudit, verifyAudit } from '@/server/services/audit';

export const auditFilter = z.object({
  actor: z.string().trim().max(254).optional(),
  action: z.string().trim().max(100).optional(),
  resourceType: z.string().trim().max(50).optional(),
  resourceId: z.string().trim().max(100).optional(),
  result: z.enum(['success', 'denied', 'error']).optional(),
  from: z.coerce.date({ message: 'from must be a date, like 2026-11-30 or 2026-11-30T08:00:00Z' }).optional(),
  to: z.coerce.date({ message: 'to must be a date, like 2026-11-30 or 2026-11-30T08:00:00Z' }).optional(),
});

const entry = z.object({
  id: z.number(), occurredAt: z.date(), actorType: z.string(), actorId: z.string().nullable(), actorLabel: z.string(),
  action: z.string(), resourceType: z.string(), resourceId: z.string().nullable(), result: z.string(),
  sourceIp: z.string().nullable(), userAgent: z.string().nullable(), requestId: z.string().nullable(),
  changes: z.unknown(), hash: z.string(), prevHash: z.string(),
});
const tag = ['audit'];

export const auditRouter = router({
  list: tenantProcedure('audit:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/audit', tags: tag, summary: 'Audit entries, newest first, with filters' } })
    .input(auditFilter.extend({ limit: z.coerce.number().int().min(1).max(500).default(100), beforeId: z.coerce.number().int().positive().optional() }))
    .output(z.array(entry))
    .query(({ ctx, input }) => {
      const { limit, beforeId, ...filter } = input;
      return listAudit(ctx.db, { tenantId: ctx.scope.tenantId, filter, limit, beforeId });
    }),

  verify: tenantProcedure('audit:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/audit/verify', tags: tag, summary: 'Check the hash chain: detects edited, deleted or reordered entries' } })
    .output(z.object({ ok: z.boolean(), checked: z.number(), problem: z.object({ kind: z.string(), id: z.number() }).passthrough().optional() }))
    .query(({ ctx }) => verifyAudit(ctx.db, { tenantId: ctx.scope.tenantId })),
});
