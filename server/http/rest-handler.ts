import type { NextRequest } from 'next/server';
import { appRouter } from '@/server/routers';
import { apiErrorFromShape, apiErrorResponse, logInternalError, type FormattedShape } from './api-error';
import { createRequestContext } from './context';
import { openApiLib } from './openapi-lib';
import { REQUEST_ID_HEADER, requestMetaFromHeaders } from './request-meta';

export const REST_PREFIX = '/api/v1';
export const MAX_BODY_BYTES = 100_000;

/** Reads at most `limit` bytes of the body; null when it is larger (never buffers more than the limit). */
async function readBodyWithin(req: Request, limit: number): Promise<string | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** What trpc-to-openapi sends on errors: the formatter's shape, plus `issues` when the input failed validation. */
type AdapterErrorBody = FormattedShape & { issues?: { message?: string }[] };

/** Error bodies from the adapter carry the formatter's shape; REST callers get `{ error: {...} }`. */
async function reshapeError(res: Response, req: NextRequest, requestId: string): Promise<Response> {
  const body = (await res.json().catch(() => ({}))) as AdapterErrorBody;
  const error = apiErrorFromShape(body, requestId, { inputInvalid: Array.isArray(body.issues) ? body.issues : undefined });
  if (res.status === 404 && !body.data?.path) {
    error.message = `No API route ${req.method} ${req.nextUrl.pathname}. The routes are listed at /api/openapi.json and /docs/api.`;
  }
  return apiErrorResponse(res.status, error);
}

/** Serves every procedure with `meta.openapi` under /api/v1, with the caller's token or session. */
export async function handleRest(req: NextRequest): Promise<Response> {
  const meta = requestMetaFromHeaders(req.headers);
  let forwarded: Request = req;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = await readBodyWithin(req, MAX_BODY_BYTES);
    if (body === null) {
      // The rest of the body is never read: close the connection so the client does not reuse a half-read socket.
      return apiErrorResponse(413, { code: 'PAYLOAD_TOO_LARGE', message: `The request body is larger than ${MAX_BODY_BYTES} bytes. Send less.`, requestId: meta.requestId }, { connection: 'close' });
    }
    forwarded = new Request(req.url, { method: req.method, headers: req.headers, body });
  }
  const { createOpenApiFetchHandler } = await openApiLib();
  const res = await createOpenApiFetchHandler({
    endpoint: REST_PREFIX,
    req: forwarded,
    router: appRouter,
    createContext: () => createRequestContext(req, meta),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') logInternalError(error.cause ?? error, meta.requestId, path);
    },
  });
  if (res.status >= 400) return reshapeError(res, req, meta.requestId);
  res.headers.set(REQUEST_ID_HEADER, meta.requestId);
  res.headers.set('cache-control', 'no-store');
  return res;
}
