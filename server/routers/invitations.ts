import { z } from 'zod';
import { AppError } from '@/server/errors';
import { authedProcedure, publicProcedure, router, tenantProcedure } from '@/server/trpc';
import { acceptInvitation, createInvitation, listInvitations, previewInvitation, revokeInvitation } from '@/server/services/invitations';
import { displayName, email, password, roleValue, uuid } from './schemas';

const invitation = z.object({
  id: z.string(), email: z.string(), role: z.string().nullable(), siteId: z.string().nullable(), siteRole: z.string().nullable(),
  status: z.enum(['pending', 'accepted', 'revoked', 'expired']), expiresAt: z.date(), createdAt: z.date(),
});
const secret = z.string().trim().min(10, 'The invitation link is incomplete').max(200);
const tag = ['invitations'];

export const invitationsRouter = router({
  list: tenantProcedure('member:manage')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/invitations', tags: tag, summary: 'List invitations' } })
    .output(z.array(invitation))
    .query(({ ctx }) => listInvitations(ctx.db, { tenantId: ctx.scope.tenantId })),

  create: tenantProcedure('member:manage')
    .meta({ openapi: { method: 'POST', path: '/tenants/{tenantId}/invitations', tags: tag, summary: 'Invite a person; the returned secret forms the one-time link' } })
    .input(z.object({ email, role: roleValue.nullable().default(null), siteId: uuid('siteId').nullable().default(null), siteRole: roleValue.nullable().default(null) }))
    .output(z.object({ secret: z.string(), invitation }))
    .mutation(({ ctx, input }) => createInvitation(ctx.db, { ...input, tenantId: ctx.scope.tenantId, grantorAccess: ctx.scope.access, actor: ctx.actor, meta: ctx.meta })),

  revoke: tenantProcedure('member:manage')
    .meta({ openapi: { method: 'DELETE', path: '/tenants/{tenantId}/invitations/{invitationId}', tags: tag, summary: 'Withdraw a pending invitation' } })
    .input(z.object({ invitationId: uuid('invitationId') })).output(invitation)
    .mutation(({ ctx, input }) => revokeInvitation(ctx.db, { tenantId: ctx.scope.tenantId, invitationId: input.invitationId, actor: ctx.actor, meta: ctx.meta })),

  // Authorised by the invitation's secret itself, so these are open to anyone holding the link.
  preview: publicProcedure
    .input(z.object({ secret }))
    .query(({ ctx, input }) => previewInvitation(ctx.db, input.secret)),

  acceptNewAccount: publicProcedure
    .input(z.object({ secret, name: displayName('Name'), password }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.db, { secret: input.secret, signedIn: null, newAccount: { name: input.name, password: input.password }, meta: ctx.meta })),

  accept: authedProcedure
    .input(z.object({ secret }))
    .mutation(({ ctx, input }) => {
      // A token is no person: letting it through would fall back to the create-an-account path.
      if (ctx.actor.type !== 'user') throw new AppError('FORBIDDEN', 'Invitations are accepted by a signed-in person, not by an API token.');
      return acceptInvitation(ctx.db, { secret: input.secret, signedIn: ctx.actor, meta: ctx.meta });
    }),
});
