import client from 'prom-client';
import type postgres from 'postgres';

/**
 * Prometheus metrics for GET /api/metrics. One registry per process, kept on globalThis: our HTTP server
 * (scripts/serve.ts) records request durations and Next's route handler renders them, from separate module copies.
 */
interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  poolMax: client.Gauge;
  connections: client.Gauge<'state'>;
}

const holder = globalThis as unknown as { switchyardMetrics?: Metrics };

function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request durations by method, route template (ids as {placeholders}) and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    poolMax: new client.Gauge({
      name: 'switchyard_db_pool_max_connections', help: 'Configured size of this process\'s database pool (DATABASE_POOL_MAX)', registers: [registry],
    }),
    connections: new client.Gauge({
      name: 'switchyard_db_connections',
      help: 'Open connections of the app role named "switchyard", by state, as Postgres sees them at scrape time (state="active" = queries in flight; all replicas together)',
      labelNames: ['state'], registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  holder.switchyardMetrics ??= createMetrics();
  return holder.switchyardMetrics;
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function observeHttpRequest(r: { method: string; route: string; status: number; seconds: number }): void {
  const method = KNOWN_METHODS.has(r.method) ? r.method : 'OTHER';
  metrics().httpDuration.observe({ method, route: r.route, status: String(r.status) }, r.seconds);
}

const CONNECTION_STATES = ['active', 'idle', 'idle in transaction', 'idle in transaction (aborted)'];

/** Reads pool figures from Postgres (postgres.js exposes no pool statistics of its own). */
async function sampleDatabase(sql: postgres.Sql): Promise<void> {
  const m = metrics();
  m.poolMax.set(sql.options.max);
  const rows = await sql<{ state: string | null; n: number }[]>`
    select state, count(*)::int as n from pg_stat_activity
    where usename = current_user and application_name = 'switchyard' and pid <> pg_backend_pid()
    group by state`;
  for (const state of CONNECTION_STATES) m.connections.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
}

/** The text exposition; database figures are sampled now, and skipped (not fatal) if the database is down. */
export async function metricsText(sql?: postgres.Sql): Promise<{ contentType: string; body: string }> {
  if (sql) await sampleDatabase(sql).catch(() => undefined);
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
