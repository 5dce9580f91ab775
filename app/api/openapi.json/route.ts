// The OpenAPI 3.1 document of the REST API under /api/v1. Public: it describes the API, it holds no data.
import { openApiDocument, publicOrigin } from '@/server/http/openapi';

export const dynamic = 'force-dynamic';
export async function GET(req: Request) {
  return Response.json(await openApiDocument(publicOrigin(req.url)));
}
