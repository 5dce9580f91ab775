import { z } from 'zod';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { appRouter } from '@/server/routers';
import { auditFilter } from '@/server/routers/audit';
import { openApiLib } from './openapi-lib';
import { REST_PREFIX } from './rest-routes';

export const API_TITLE = 'Switchyard API';
export const API_VERSION = '1.0.0';
export const SECURITY_SCHEME = 'Authorization';
export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export const auditExportQuery = auditFilter.extend({
  format: z.enum(EXPORT_FORMATS, { message: 'format must be csv or jsonl' }),
});

/** Responses pointing at the error components the generator creates for the procedures. */
function errorResponses(byStatus: Record<number, string>) {
  return Object.fromEntries(Object.entries(byStatus).map(([status, code]) => [status, {
    description: code, content: { 'application/json': { schema: { $ref: `#/components/schemas/error.${code}` } } },
  }]));
}

// Route handlers outside tRPC, documented alongside the procedures.
const extraPaths = {
  '/tenants/{tenantId}/audit/export': {
    get: {
      operationId: 'audit-export',
      summary: 'Download audit entries as CSV or JSON Lines (same filters as the list), oldest first',
      tags: ['audit'],
      security: [{ [SECURITY_SCHEME]: [] }],
      requestParams: { path: z.object({ tenantId: z.uuid() }), query: auditExportQuery },
      responses: {
        200: {
          description: 'A file attachment, streamed',
          content: { 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } },
        },
        ...errorResponses({ 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }),
      },
    },
  },
};

type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

// One body for every error, as served by the REST handler (server/http/api-error.ts).
const errorSchema: SchemaObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', description: 'tRPC error code, e.g. BAD_REQUEST, NOT_FOUND' },
        message: { type: 'string', description: 'What went wrong and what to do' },
        requestId: { type: 'string', description: 'Quote it when reporting a problem; also the x-request-id header' },
        fieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
};

const DESCRIPTION = 'Every procedure of the Switchyard console that has a REST route. Authenticate with an API token '
  + '(`Authorization: Bearer sy_...`, created under Tokens by a tenant admin) or a console session. '
  + 'Errors share one shape: `{ "error": { "code", "message", "requestId", "fieldErrors"? } }`.';

const documents = new Map<string, OpenAPIObject>();

/** The OpenAPI 3.1 document for the REST API, served from `origin` (no trailing slash). Built once per origin. */
export async function openApiDocument(origin: string): Promise<OpenAPIObject> {
  const known = documents.get(origin);
  if (known) return known;
  const { generateOpenApiDocument } = await openApiLib();
  const doc = generateOpenApiDocument(appRouter, {
    title: API_TITLE, version: API_VERSION, description: DESCRIPTION, baseUrl: `${origin}${REST_PREFIX}`,
    docsUrl: `${origin}/docs/api`,
    securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An API token, or a console session cookie' } },
    paths: extraPaths,
  });
  const schemas = doc.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) schemas[name] = { ...errorSchema, title: name.slice('error.'.length) };
  if (documents.size < 8) documents.set(origin, doc); // origins come from config or Host: keep the memo small
  return doc;
}

/** Where the API is served: the configured public URL, else the address the request came in on. */
export function publicOrigin(requestUrl: string): string {
  return (process.env.NEXTAUTH_URL ?? new URL(requestUrl).origin).replace(/\/+$/, '');
}
