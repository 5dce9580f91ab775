import { z } from 'zod';
import { router, siteProcedure, tenantProcedure } from '@/server/trpc';
import { createSite, deleteSite, getSite, listSites, updateSite } from '@/server/services/sites';
import { description, displayName, ok, slug } from './schemas';

const site = z.object({ id: z.string(), tenantId: z.string(), slug: z.string(), name: z.string(), description: z.string(), createdAt: z.date() });
const tag = ['sites'];

export const sitesRouter = router({
  list: tenantProcedure('site:read', { filteredBySite: true, cacheable: true })
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/sites', tags: tag, summary: 'List the sites you can see' } })
    .output(z.array(site))
    .query(({ ctx }) => listSites(ctx.db, { tenantId: ctx.scope.tenantId, access: ctx.scope.access })),

  get: siteProcedure('site:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/sites/{siteId}', tags: tag, summary: 'Read one site' } })
    .output(site)
    .query(({ ctx, input }) => getSite(ctx.db, { tenantId: ctx.scope.tenantId, siteId: input.siteId })),

  create: tenantProcedure('site:manage')
    .meta({ openapi: { method: 'POST', path: '/tenants/{tenantId}/sites', tags: tag, summary: 'Create a site' } })
    .input(z.object({ slug, name: displayName('Name'), description })).output(site)
    .mutation(({ ctx, input }) => createSite(ctx.db, { ...input, tenantId: ctx.scope.tenantId, actor: ctx.actor, meta: ctx.meta })),

  update: siteProcedure('site:manage')
    .meta({ openapi: { method: 'PATCH', path: '/tenants/{tenantId}/sites/{siteId}', tags: tag, summary: 'Rename or describe a site' } })
    .input(z.object({ slug: slug.optional(), name: displayName('Name').optional(), description: description.optional() })).output(site)
    .mutation(({ ctx, input }) => updateSite(ctx.db, { ...input, tenantId: ctx.scope.tenantId, actor: ctx.actor, meta: ctx.meta })),

  delete: siteProcedure('site:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/sites/{siteId}', tags: tag, summary: 'Delete a site' } })
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await deleteSite(ctx.db, { tenantId: ctx.scope.tenantId, siteId: input.siteId, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),
});
