// Procedures are served by our own HTTP server (server/http/rest-node.ts) before Next sees the request; what
// reaches this route matched no procedure and no other API route.
import { NextResponse, type NextRequest } from 'next/server';
import { apiErrorResponse } from '@/server/http/api-error';
import { requestMetaFromHeaders } from '@/server/http/request-meta';

export const dynamic = 'force-dynamic';

function noSuchRoute(req: NextRequest): NextResponse | Response {
  const { requestId } = requestMetaFromHeaders(req.headers);
  return apiErrorResponse(404, { code: 'NOT_FOUND', message: `No API route ${req.method} ${req.nextUrl.pathname}. The routes are listed at /api/openapi.json and /docs/api.`, requestId });
}

export { noSuchRoute as GET, noSuchRoute as POST, noSuchRoute as PUT, noSuchRoute as PATCH, noSuchRoute as DELETE };
