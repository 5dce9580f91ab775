import { z } from 'zod';
import { router, tenantProcedure } from '@/server/trpc';
import { createRole, deleteRole, listRoles, updateRole } from '@/server/services/roles';
import { description, displayName, ok, permissionList, uuid } from './schemas';

const role = z.object({ id: z.string(), name: z.string(), description: z.string(), permissions: z.array(z.string()), createdAt: z.date() });
const tag = ['roles'];

export const rolesRouter = router({
  list: tenantProcedure('member:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/roles', tags: tag, summary: 'List custom roles' } })
    .output(z.array(role))
    .query(({ ctx }) => listRoles(ctx.db, { tenantId: ctx.scope.tenantId })),

  create: tenantProcedure('role:manage')
    .meta({ openapi: { method: 'POST', path: '/tenants/{tenantId}/roles', tags: tag, summary: 'Compose a custom role from permissions' } })
    .input(z.object({ name: displayName('Name', 60), description, permissions: permissionList })).output(role)
    .mutation(({ ctx, input }) => createRole(ctx.db, { ...input, tenantId: ctx.scope.tenantId, grantorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta })),

  update: tenantProcedure('role:manage')
    .meta({ openapi: { method: 'PATCH', path: '/tenants/{tenantId}/roles/{roleId}', tags: tag, summary: 'Change a custom role' } })
    .input(z.object({ roleId: uuid('roleId'), name: displayName('Name', 60).optional(), description: description.optional(), permissions: permissionList.optional() })).output(role)
    .mutation(({ ctx, input }) => updateRole(ctx.db, { ...input, tenantId: ctx.scope.tenantId, grantorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta })),

  delete: tenantProcedure('role:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/roles/{roleId}', tags: tag, summary: 'Delete an unused custom role' } })
    .input(z.object({ roleId: uuid('roleId') })).output(ok)
    .mutation(async ({ ctx, input }) => {
      await deleteRole(ctx.db, { tenantId: ctx.scope.tenantId, roleId: input.roleId, actor: ctx.actor, meta: ctx.meta });
      return { ok: true as const };
    }),
});
