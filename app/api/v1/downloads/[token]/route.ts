// A signed, short-lived download link (made by artifacts.downloadLink): the link is the authorisation.
import type { NextRequest } from 'next/server';
import { handleDownload } from '@/server/http/artifact-download-route';

export const dynamic = 'force-dynamic';
export async function GET(req: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  return handleDownload(req, (await params).token);
}
