// REST: every tRPC procedure with `meta.openapi`, documented at /api/openapi.json and /docs/api.
import { handleRest } from '@/server/http/rest-handler';

export const dynamic = 'force-dynamic';
export { handleRest as GET, handleRest as POST, handleRest as PUT, handleRest as PATCH, handleRest as DELETE };
