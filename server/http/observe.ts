import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { logger } from '@/server/logger';
import { observeHttpRequest } from '@/server/metrics';
import { acceptRequestId, REQUEST_ID_HEADER } from './request-meta';
import { runInRequestScope, type RequestScope } from './request-scope';
import { createRouteTemplates } from './route-template';

type Handle = () => Promise<void>;

/**
 * Wraps each request at our HTTP server: settles its request id (kept from the caller when safe, else new) on the
 * request and the response, times it into the duration histogram, and writes one log line per API request.
 * The log line names method, route template, status, duration, request id and actor type: never headers, so no
 * token, cookie or password can reach it.
 */
export async function createRequestObserver(log: Pick<Logger, 'info'> = logger) {
  const routes = await createRouteTemplates();
  return function observe(req: IncomingMessage, res: ServerResponse, handle: Handle): Promise<void> {
    const started = process.hrtime.bigint();
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = acceptRequestId(typeof incoming === 'string' ? incoming : undefined);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const scope: RequestScope = { requestId };
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pathname = (req.url ?? '/').split('?')[0] ?? '/';
      const route = routes.templateOf(pathname);
      const method = req.method ?? 'GET';
      // A response closed before it finished was aborted by the client (nginx's 499).
      const status = res.writableFinished ? res.statusCode : 499;
      observeHttpRequest({ method, route, status, seconds });
      if (pathname.startsWith('/api/')) {
        log.info({ requestId, method, route, status, durationMs: Math.round(seconds * 10_000) / 10, actorType: scope.actorType ?? 'anonymous' }, 'api request');
      }
    });
    return runInRequestScope(scope, handle);
  };
}
