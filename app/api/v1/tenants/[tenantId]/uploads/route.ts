// Artifact upload as a streamed body (curl -T); documented in the OpenAPI document next to the procedures.
import type { NextRequest } from 'next/server';
import { handleArtifactUpload } from '@/server/http/artifact-upload-route';

export const dynamic = 'force-dynamic';
type Params = { params: Promise<{ tenantId: string }> };
export async function PUT(req: NextRequest, { params }: Params) {
  return handleArtifactUpload(req, (await params).tenantId);
}
export async function POST(req: NextRequest, { params }: Params) {
  return handleArtifactUpload(req, (await params).tenantId);
}
