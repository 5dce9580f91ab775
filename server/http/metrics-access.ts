import { createHash, timingSafeEqual } from 'node:crypto';
import { CLIENT_IP_HEADER } from './request-meta';

/**
 * Who may read /api/metrics. With METRICS_TOKEN set: whoever sends it as a bearer token. Without it: only callers
 * on this machine (a Prometheus agent or sidecar next to the app), since figures such as route names and pool
 * sizes help an attacker map the service.
 */
export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK = new Set(['127.0.0.1', '::1']);
const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsAccess(headers: Headers, metricsToken = process.env.METRICS_TOKEN): MetricsAccess {
  if (metricsToken) {
    const sent = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1];
    // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first differing byte.
    if (sent && timingSafeEqual(digest(sent), digest(metricsToken))) return { ok: true };
    return { ok: false, status: 401, message: 'Send the METRICS_TOKEN value as "Authorization: Bearer <token>".' };
  }
  const ip = headers.get(CLIENT_IP_HEADER);
  if (ip && LOOPBACK.has(ip)) return { ok: true };
  return { ok: false, status: 403, message: 'Metrics are served to this machine only. Set METRICS_TOKEN to let a remote scraper in with that bearer token.' };
}
