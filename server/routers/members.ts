import { z } from 'zod';
import { router, siteProcedure, tenantProcedure } from '@/server/trpc';
import { changeMemberRole, grantSite, listMembers, listSiteGrants, removeMember, revokeSiteGrant } from '@/server/services/members';
import { ok, roleValue, uuid } from './schemas';

const member = z.object({
  userId: z.string(), email: z.string(), name: z.string(), role: z.string().nullable(), joinedAt: z.date(),
  sites: z.array(z.object({ siteId: z.string(), role: z.string() })),
});
const grant = z.object({ userId: z.string(), email: z.string(), name: z.string(), role: z.string(), grantedAt: z.date() });
const tag = ['members'];

export const membersRouter = router({
  list: tenantProcedure('member:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/members', tags: tag, summary: 'List members with their roles and site grants' } })
    .output(z.array(member))
    .query(({ ctx }) => listMembers(ctx.db, { tenantId: ctx.scope.tenantId })),

  changeRole: tenantProcedure('member:manage')
    .meta({ openapi: { method: 'PUT', path: '/tenants/{tenantId}/members/{userId}/role', tags: tag, summary: 'Change a member\'s tenant role (null: site grants only)' } })
    .input(z.object({ userId: uuid('userId'), role: roleValue.nullable() })).output(ok)
    .mutation(async ({ ctx, input }) => {
      await changeMemberRole(ctx.db, { ...input, tenantId: ctx.scope.tenantId, grantorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),

  remove: tenantProcedure('member:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/members/{userId}', tags: tag, summary: 'Remove a member and all their site grants' } })
    .input(z.object({ userId: uuid('userId') })).output(ok)
    .mutation(async ({ ctx, input }) => {
      await removeMember(ctx.db, { ...input, tenantId: ctx.scope.tenantId, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),
});

export const delegationRouter = router({
  list: siteProcedure('member:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/sites/{siteId}/grants', tags: ['delegation'], summary: 'Who holds a grant on this site' } })
    .output(z.array(grant))
    .query(({ ctx, input }) => listSiteGrants(ctx.db, { tenantId: ctx.scope.tenantId, siteId: input.siteId })),

  grant: siteProcedure('member:manage')
    .meta({ openapi: { method: 'PUT', path: '/tenants/{tenantId}/sites/{siteId}/grants/{userId}', tags: ['delegation'], summary: 'Delegate the site to a member (operator, developer, viewer or custom:<id>)' } })
    .input(z.object({ userId: uuid('userId'), role: roleValue })).output(ok)
    .mutation(async ({ ctx, input }) => {
      await grantSite(ctx.db, { ...input, tenantId: ctx.scope.tenantId, grantorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),

  revoke: siteProcedure('member:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/sites/{siteId}/grants/{userId}', tags: ['delegation'], summary: 'Remove a member\'s grant on the site' } })
    .input(z.object({ userId: uuid('userId') })).output(ok)
    .mutation(async ({ ctx, input }) => {
      await revokeSiteGrant(ctx.db, { ...input, tenantId: ctx.scope.tenantId, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),
});
