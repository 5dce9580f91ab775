import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import type { Context } from '@/server/context';
import { logger } from '@/server/logger';
import { appRouter } from '@/server/routers';
import { REQUEST_ID_HEADER } from './request-meta';

/** The one error shape of the REST API (the tRPC formatter in server/trpc.ts produces the same fields). */
export interface ApiError { code: string; message: string; requestId: string; fieldErrors?: Record<string, string[]> }
export interface ApiErrorBody { error: ApiError }

/** What server/trpc.ts's errorFormatter returns; the REST adapter passes it through as the body. */
export interface FormattedShape {
  message?: string;
  data?: { code?: string; path?: string; requestId?: string; fieldErrors?: Record<string, string[] | undefined> };
}

type Issue = { message?: string };

/** Zod's issues as one sentence: per field when they name fields, else their own messages. */
function invalidInputMessage(fieldErrors: Record<string, string[]> | undefined, issues: Issue[]): string {
  if (fieldErrors) {
    const parts = Object.entries(fieldErrors).map(([field, msgs]) => `${field}: ${msgs.join(', ')}`);
    return `Some fields are not valid. ${parts.join('; ')}.`;
  }
  const words = issues.map((i) => i.message).filter(Boolean);
  return words.length ? `The request is not valid: ${words.join('; ')}.` : 'The request is not valid. Check it against /api/openapi.json.';
}

function parsedIssues(message: string): Issue[] | undefined {
  if (!/^\s*\[/.test(message)) return undefined;
  try {
    const parsed: unknown = JSON.parse(message);
    return Array.isArray(parsed) ? parsed as Issue[] : undefined;
  } catch {
    return undefined;
  }
}

function definedFieldErrors(raw: Record<string, string[] | undefined> | undefined): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  const entries = Object.entries(raw).filter((e): e is [string, string[]] => Array.isArray(e[1]) && e[1].length > 0);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * The REST error from a formatted shape. Input that failed its schema carries zod's issues (`inputInvalid`, or a
 * JSON dump of them as the message): those become words a person reads.
 */
export function apiErrorFromShape(shape: FormattedShape, requestId: string, opts: { inputInvalid?: Issue[] } = {}): ApiError {
  const fieldErrors = definedFieldErrors(shape.data?.fieldErrors);
  const raw = shape.message ?? 'Something went wrong on our side.';
  const issues = opts.inputInvalid ?? parsedIssues(raw);
  return {
    code: shape.data?.code ?? 'INTERNAL_SERVER_ERROR',
    message: issues ? invalidInputMessage(fieldErrors, issues) : raw,
    requestId,
    ...(fieldErrors ? { fieldErrors } : {}),
  };
}

export function apiErrorResponse(status: number, error: ApiError, headers?: HeadersInit): Response {
  const res = Response.json({ error } satisfies ApiErrorBody, { status, headers });
  res.headers.set(REQUEST_ID_HEADER, error.requestId);
  return res;
}

/** Logs what a 500 hides from the caller; the request id joins the two. */
export function logInternalError(err: unknown, requestId: string, path: string | undefined): void {
  logger.error({ err, requestId, path }, 'internal error in an API request');
}

/**
 * Anything thrown by a tRPC caller (createCaller) as the REST status and error, through the same formatter the
 * tRPC endpoint uses, so messages and field errors match.
 */
export function apiErrorFromThrown(thrown: unknown, opts: { path: string; input: unknown; ctx: Pick<Context, 'meta'> }): { status: number; error: ApiError } {
  const error = getTRPCErrorFromUnknown(thrown);
  const status = getHTTPStatusCodeFromError(error);
  if (status >= 500) logInternalError(error.cause ?? error, opts.ctx.meta.requestId, opts.path);
  const shape = getErrorShape({ config: appRouter._def._config, error, type: 'query', path: opts.path, input: opts.input, ctx: opts.ctx as Context }) as FormattedShape;
  return { status, error: apiErrorFromShape(shape, opts.ctx.meta.requestId) };
}

export function errorResponseFromThrown(thrown: unknown, opts: { path: string; input: unknown; ctx: Context }): Response {
  const { status, error } = apiErrorFromThrown(thrown, opts);
  return apiErrorResponse(status, error);
}
