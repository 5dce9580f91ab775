import { z } from 'zod';
import { authedProcedure, platformProcedure, router } from '@/server/trpc';
import { describeMyAccess } from '@/server/services/access';
import { createTenant, listAllTenants, listMyTenants } from '@/server/services/tenants';
import { displayName, email, slug, uuid } from './schemas';

const tenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), createdAt: z.date() });

export const platformRouter = router({
  listTenants: platformProcedure
    .meta({ openapi: { method: 'GET', path: '/platform/tenants', tags: ['platform'], summary: 'All tenants (platform operators)' } })
    .input(z.object({})).output(z.array(tenant))
    .query(({ ctx }) => listAllTenants(ctx.db)),

  createTenant: platformProcedure
    .meta({ openapi: { method: 'POST', path: '/platform/tenants', tags: ['platform'], summary: 'Create a tenant with its first owner' } })
    .input(z.object({ slug, name: displayName('Name'), ownerEmail: email })).output(tenant)
    .mutation(({ ctx, input }) => createTenant(ctx.db, { ...input, actor: ctx.actor, meta: ctx.meta })),
});

const myTenant = z.object({ id: z.string(), slug: z.string(), name: z.string(), role: z.string().nullable(), siteGrants: z.number() });

export const meRouter = router({
  whoami: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/me', tags: ['me'], summary: 'Who the caller is' } })
    .input(z.object({}))
    .output(z.object({ type: z.enum(['user', 'token']), id: z.string(), label: z.string(), isPlatformAdmin: z.boolean(), tenantId: z.string().nullable() }))
    .query(({ ctx }) => ctx.actor.type === 'user'
      ? { type: 'user' as const, id: ctx.actor.userId, label: ctx.actor.email, isPlatformAdmin: ctx.actor.isPlatformAdmin, tenantId: null }
      : { type: 'token' as const, id: ctx.actor.tokenId, label: ctx.actor.name, isPlatformAdmin: false, tenantId: ctx.actor.tenantId }),

  tenants: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/me/tenants', tags: ['me'], summary: 'Tenants the caller belongs to' } })
    .input(z.object({})).output(z.array(myTenant))
    .query(async ({ ctx }) => {
      if (ctx.actor.type === 'user') return listMyTenants(ctx.db, { userId: ctx.actor.userId });
      return []; // a token lives in exactly one tenant, named by whoami
    }),

  // Open to any signed-in caller, but only about a tenant they stand in (NOT_FOUND otherwise): the console uses it
  // to show only the controls that will work.
  access: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/me/tenants/{tenantId}/access', tags: ['me'], summary: 'Your permissions in a tenant and on its sites' } })
    .input(z.object({ tenantId: uuid('tenantId') }))
    .output(z.object({ tenantPermissions: z.array(z.string()), sites: z.array(z.object({ siteId: z.string(), permissions: z.array(z.string()) })) }))
    .query(({ ctx, input }) => describeMyAccess(ctx.db, { tenantId: input.tenantId, actor: ctx.actor })),
});
