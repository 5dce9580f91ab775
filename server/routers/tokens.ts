import { z } from 'zod';
import { router, tenantProcedure } from '@/server/trpc';
import { createToken, listTokens, revokeToken } from '@/server/services/tokens';
import { displayName, roleValue, uuid } from './schemas';

const token = z.object({
  id: z.string(), name: z.string(), prefix: z.string(), role: z.string(), createdAt: z.date(),
  expiresAt: z.date().nullable(), lastUsedAt: z.date().nullable(), revokedAt: z.date().nullable(),
});
const tag = ['tokens'];

export const tokensRouter = router({
  list: tenantProcedure('token:manage')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/tokens', tags: tag, summary: 'List API tokens (never their secrets)' } })
    .output(z.array(token))
    .query(({ ctx }) => listTokens(ctx.db, { tenantId: ctx.scope.tenantId })),

  create: tenantProcedure('token:manage')
    .meta({ openapi: { method: 'POST', path: '/tenants/{tenantId}/tokens', tags: tag, summary: 'Create an API token; its secret is shown only in this response' } })
    .input(z.object({ name: displayName('Name', 60), role: roleValue, expiresInDays: z.number().int().min(1).max(730).optional() }))
    .output(z.object({ token: z.string(), summary: token }))
    .mutation(({ ctx, input }) => createToken(ctx.db, { ...input, tenantId: ctx.scope.tenantId, creatorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta })),

  revoke: tenantProcedure('token:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/tokens/{tokenId}', tags: tag, summary: 'Revoke an API token at once' } })
    .input(z.object({ tokenId: uuid('tokenId') })).output(token)
    .mutation(({ ctx, input }) => revokeToken(ctx.db, { tenantId: ctx.scope.tenantId, tokenId: input.tokenId, actor: ctx.actor, meta: ctx.meta })),
});
