import { createCallerFactory, router } from '@/server/trpc';
import { artifactsRouter } from './artifacts';
import { auditRouter } from './audit';
import { deploymentsRouter } from './deployments';
import { environmentsRouter } from './environments';
import { invitationsRouter } from './invitations';
import { delegationRouter, membersRouter } from './members';
import { meRouter, platformRouter } from './platform';
import { rolesRouter } from './roles';
import { sitesRouter } from './sites';
import { tokensRouter } from './tokens';

export const appRouter = router({
  me: meRouter,
  platform: platformRouter,
  sites: sitesRouter,
  members: membersRouter,
  delegation: delegationRouter,
  invitations: invitationsRouter,
  roles: rolesRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  environments: environmentsRouter,
  artifacts: artifactsRouter,
  deployments: deploymentsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
