// Readiness: the database answers and its migrations match this build (a load balancer's traffic gate).
// Liveness (the process answers) is /api/health.
import { appDb } from '@/server/db';
import { checkReadiness } from '@/server/http/readiness';

export const dynamic = 'force-dynamic';
export async function GET() {
  const state = await checkReadiness(appDb().sql);
  return state.ready
    ? Response.json({ status: 'ready', migrations: state.migrations })
    : Response.json({ status: 'not ready', reason: state.reason }, { status: 503 });
}
