import type { IncomingMessage, ServerResponse } from 'node:http';
import { TRPCError, type AnyProcedure } from '@trpc/server';
import { appRouter, createCaller } from '@/server/routers';
import { apiErrorFromThrown, type ApiError, type ApiErrorBody } from './api-error';
import { createNodeRequestContext, requestMetaOfNode } from './context';
import { REQUEST_ID_HEADER } from './request-meta';
import { matchRestRoute, readQueryValue, REST_PREFIX, restRoutes, type RestRoute } from './rest-routes';

export const MAX_BODY_BYTES = 100_000;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * At most `limit` bytes of the body as text; null when it is larger. Past the limit the request is only paused,
 * never destroyed: destroying it would take the socket, and the 413 with it, unless that answer went out first.
 * The answer says `connection: close`, so Node closes the socket once it is sent, unread rest and all.
 */
function readBodyWithin(req: IncomingMessage, limit: number): Promise<string | null> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (finish: () => void) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      finish();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      settle(() => resolve(null));
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks).toString('utf8')));
    const onError = (err: Error) => settle(() => reject(err));
    req.on('data', onData).once('end', onEnd).once('error', onError);
  });
}

function queryInput(route: RestRoute, search: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key).map((text) => readQueryValue(route.typedFields.get(key), text));
    input[key] = values.length > 1 || route.arrayFields.has(key) ? values : values[0];
  }
  return input;
}

async function bodyInput(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const type = req.headers['content-type'];
  if (!type?.startsWith('application/json')) {
    throw new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: type ? `Send the body as application/json, not "${type}".` : 'Send the body as application/json (the Content-Type header is missing).' });
  }
  const text = await readBodyWithin(req, MAX_BODY_BYTES);
  if (text === null) throw new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_BODY_BYTES} bytes. Send less.` });
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TRPCError({ code: 'PARSE_ERROR', message: 'The request body is not valid JSON.' });
  }
}

function send(res: ServerResponse, status: number, body: unknown, requestId: string, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', [REQUEST_ID_HEADER]: requestId, ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: ApiError): void {
  // A body left unread must not be taken for the next request on a kept-alive connection.
  const extra: Record<string, string> = status === 413 ? { connection: 'close' } : {};
  send(res, status, { error } satisfies ApiErrorBody, error.requestId, extra);
}

/**
 * Serves every procedure with `meta.openapi` under /api/v1 straight from Node's request, with the caller's token or
 * session: no fetch Request/Response or framework in between, since this is the path scripts call the most.
 * Answers false for paths that are not procedures (uploads, downloads, exports, unknown), which Next serves.
 */
export function createRestHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const routes = restRoutes(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);
  return async function serveRest(req, res) {
    const url = req.url ?? '/';
    if (!url.startsWith(`${REST_PREFIX}/`)) return false;
    const queryAt = url.indexOf('?');
    const matched = matchRestRoute(routes, req.method ?? 'GET', queryAt < 0 ? url : url.slice(0, queryAt));
    if (!matched) return false;
    const { route, pathInput } = matched;
    const meta = requestMetaOfNode(req);
    let input: Record<string, unknown> | undefined;
    try {
      const given = BODY_METHODS.has(req.method!) ? await bodyInput(req) : queryInput(route, new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)));
      input = { ...given, ...pathInput };
      const ctx = await createNodeRequestContext(req, meta);
      const call = route.procedurePath.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], createCaller(ctx)) as (i: unknown) => Promise<unknown>;
      send(res, 200, (await call(input)) ?? null, meta.requestId);
    } catch (thrown) {
      const { status, error } = apiErrorFromThrown(thrown, { path: route.procedurePath, input, ctx: { meta } });
      sendError(res, status, error);
    }
    return true;
  };
}
