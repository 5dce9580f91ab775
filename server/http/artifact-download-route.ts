import { Readable } from 'node:stream';
import type { NextRequest } from 'next/server';
import { and, eq } from 'drizzle-orm';
import { withTenant } from '@/db/client';
import { artifactVersions } from '@/db/schema';
import { appDb } from '@/server/db';
import { AppError } from '@/server/errors';
import { verifyDownload } from '@/server/services/artifacts-download';
import { contentKey, objectStore } from '@/server/storage';
import { apiErrorResponse } from './api-error';
import { REQUEST_ID_HEADER, requestMetaFromHeaders } from './request-meta';

/** GET /api/v1/downloads/{token}: streams the version's bytes while the signed link is valid. */
export async function handleDownload(req: NextRequest, token: string): Promise<Response> {
  const { requestId } = requestMetaFromHeaders(req.headers);
  try {
    const claims = verifyDownload(token);
    const [version] = await withTenant(appDb().db, claims.tenantId, (tx) => tx.select().from(artifactVersions)
      .where(and(eq(artifactVersions.tenantId, claims.tenantId), eq(artifactVersions.id, claims.versionId))));
    if (!version) throw new AppError('NOT_FOUND', 'This version was deleted after the link was made.');
    const stream = await objectStore().getStream(contentKey(claims.tenantId, version.sha256));
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      headers: {
        'content-type': version.contentType,
        'content-length': String(version.sizeBytes),
        'content-disposition': `attachment; filename="${version.filename.replace(/["\\\r\n]/g, '_')}"`,
        'x-content-sha256': version.sha256,
        'cache-control': 'private, no-store',
        [REQUEST_ID_HEADER]: requestId,
      },
    });
  } catch (err) {
    if (err instanceof AppError) return apiErrorResponse(404, { code: 'NOT_FOUND', message: err.message, requestId });
    throw err;
  }
}
