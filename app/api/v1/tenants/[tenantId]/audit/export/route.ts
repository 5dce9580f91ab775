// Audit export as a file download; documented in the OpenAPI document next to the procedures.
import type { NextRequest } from 'next/server';
import { handleAuditExport } from '@/server/http/audit-export-route';

export const dynamic = 'force-dynamic';
export async function GET(req: NextRequest, { params }: { params: Promise<{ tenantId: string }> }) {
  return handleAuditExport(req, (await params).tenantId);
}
