import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { NextRequest } from 'next/server';
import { createCaller } from '@/server/routers';
import { apiErrorResponse, errorResponseFromThrown } from './api-error';
import { createRequestContext } from './context';
import { REQUEST_ID_HEADER, requestMetaFromHeaders } from './request-meta';

const SOURCE_PARAMS = { sourceRepository: 'repository', sourceCommit: 'commit', sourcePath: 'path', sourceBuildUrl: 'buildUrl', source: 'text' } as const;

/**
 * PUT or POST /api/v1/tenants/{tenantId}/uploads?name=..&kind=..[&siteId=..&filename=..&notes=..&sourceRepository=..
 * &sourceCommit=..&sourcePath=..&sourceBuildUrl=..&source=..], the file as the raw body (`curl -T build.zip`).
 * The bytes stream straight to storage; access, validation and errors go through the artifacts.upload procedure.
 */
export async function handleArtifactUpload(req: NextRequest, tenantId: string): Promise<Response> {
  const meta = requestMetaFromHeaders(req.headers);
  const ctx = await createRequestContext(req, meta);
  const query = req.nextUrl.searchParams;
  const source = Object.fromEntries(Object.entries(SOURCE_PARAMS).flatMap(([param, field]) => {
    const value = query.get(param);
    return value ? [[field, value]] : [];
  }));
  const input = {
    tenantId, name: query.get('name') ?? '', kind: query.get('kind') ?? '', siteId: query.get('siteId') ?? undefined,
    filename: query.get('filename') ?? undefined, notes: query.get('notes') ?? undefined, source,
    declaredBytes: declaredLength(req.headers),
  };
  if (!req.body) {
    return apiErrorResponse(400, { code: 'BAD_REQUEST', message: 'The request has no body; send the file as the body (curl -T FILE).', requestId: meta.requestId });
  }
  try {
    const body = Readable.fromWeb(req.body as unknown as WebReadableStream<Uint8Array>);
    const caller = createCaller(ctx);
    // Unverified query text: the procedure's input schema checks every field and names the bad ones.
    const result = await caller.artifacts.upload({ ...input, body, signal: req.signal } as Parameters<typeof caller.artifacts.upload>[0]);
    return Response.json(result, { status: result.created ? 201 : 200, headers: { [REQUEST_ID_HEADER]: meta.requestId } });
  } catch (err) {
    // The body may still be arriving (a refusal before reading it): answer now, the rest is discarded.
    return errorResponseFromThrown(err, { path: 'artifacts.upload', input: { ...input, body: undefined }, ctx });
  }
}

function declaredLength(headers: Headers): number | undefined {
  const raw = headers.get('content-length');
  return raw && /^\d+$/.test(raw) ? Number(raw) : undefined;
}
