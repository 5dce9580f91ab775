import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { createCaller } from '@/server/routers';
import { auditExportStream, AUDIT_EXPORT_CONTENT_TYPE } from '@/server/services/audit-export';
import { apiErrorResponse, errorResponseFromThrown } from './api-error';
import { createRequestContext } from './context';
import { auditExportQuery } from './openapi';
import { REQUEST_ID_HEADER, requestMetaFromHeaders } from './request-meta';

/**
 * GET /api/v1/tenants/{tenantId}/audit/export?format=csv|jsonl&<audit.list filters>.
 * Access is decided by the audit.list procedure itself (same ladder, same refusals, same audit of denials);
 * only then is the trail streamed.
 */
export async function handleAuditExport(req: NextRequest, tenantId: string): Promise<Response> {
  const meta = requestMetaFromHeaders(req.headers);
  const ctx = await createRequestContext(req, meta);
  const query = Object.fromEntries(req.nextUrl.searchParams);
  // audit.list's input schema drops `format` and checks the filters exactly as the list does.
  const listInput = { ...query, tenantId, limit: 1 };
  try {
    await createCaller(ctx).audit.list(listInput);
  } catch (err) {
    return errorResponseFromThrown(err, { path: 'audit.list', input: listInput, ctx });
  }
  const parsed = auditExportQuery.safeParse(query);
  if (!parsed.success) {
    const fieldErrors = z.flattenError(parsed.error).fieldErrors as Record<string, string[]>;
    const message = Object.values(fieldErrors).flat().join('; ') || 'The export query is not valid.';
    return apiErrorResponse(400, { code: 'BAD_REQUEST', message, requestId: meta.requestId, fieldErrors });
  }
  const { format, ...filter } = parsed.data;
  // audit.list refused anonymous callers above, so there is an actor here.
  const body = await auditExportStream(ctx.db, { tenantId, filter, format, actor: ctx.actor!, meta });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      'content-type': AUDIT_EXPORT_CONTENT_TYPE[format],
      'content-disposition': `attachment; filename="audit-${tenantId}-${day}.${format}"`,
      'cache-control': 'no-store',
      [REQUEST_ID_HEADER]: meta.requestId,
    },
  });
}
