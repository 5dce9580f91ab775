// Prometheus metrics (text format). Access: see server/http/metrics-access.ts (METRICS_TOKEN or loopback).
import { appDb } from '@/server/db';
import { serverMetricsText } from '@/server/metrics-cluster';
import { metricsAccess } from '@/server/http/metrics-access';

export const dynamic = 'force-dynamic';
export async function GET(req: Request) {
  const access = metricsAccess(req.headers);
  if (!access.ok) return new Response(`${access.message}\n`, { status: access.status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const { contentType, body } = await serverMetricsText(appDb().sql);
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
}
