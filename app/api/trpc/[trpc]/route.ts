import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { NextRequest } from 'next/server';
import { createRequestContext } from '@/server/http/context';
import { appRouter } from '@/server/routers';

const handler = (req: NextRequest) => fetchRequestHandler({
  endpoint: '/api/trpc', req, router: appRouter, createContext: () => createRequestContext(req),
});
export { handler as GET, handler as POST };
