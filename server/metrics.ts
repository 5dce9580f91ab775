import client from 'prom-client';
import type postgres from 'postgres';
import { ENVIRONMENT_STAGES, ENVIRONMENT_STATUSES } from '@/db/schema/environments';
import type { SweepReport } from '@/server/reconciler/types';

/**
 * Prometheus metrics for GET /api/metrics. One registry per process, kept on globalThis: our HTTP server
 * (scripts/serve.ts) records request durations and Next's route handler renders them, from separate module copies.
 */
interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  poolMax: client.Gauge;
  connections: client.Gauge<'state'>;
  environments: client.Gauge<'status' | 'stage'>;
  reconciler: ReconcilerMetrics;
}

interface ReconcilerMetrics {
  drift: client.Gauge;
  drifted: client.Gauge;
  orphans: client.Gauge;
  lastSweep: client.Gauge;
  repairs: client.Counter<'outcome'>;
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
      name: 'switchyard_db_pool_max_connections', help: 'Configured size of the database pools of all processes serving the app (DATABASE_POOL_MAX each)', registers: [registry],
    }),
    connections: new client.Gauge({
      name: 'switchyard_db_connections',
      help: 'Open connections of the app role named "switchyard", by state, as Postgres sees them at scrape time (state="active" = queries in flight; all replicas together)',
      labelNames: ['state'], registers: [registry],
    }),
    environments: new client.Gauge({
      name: 'switchyard_environments',
      help: 'Live (not torn-down) environments of all tenants by status and stage, counted by Postgres at scrape time',
      labelNames: ['status', 'stage'], registers: [registry],
    }),
    reconciler: createReconcilerMetrics(registry),
  };
}

function createReconcilerMetrics(registry: client.Registry): ReconcilerMetrics {
  const gauge = (name: string, help: string) => new client.Gauge({ name, help, registers: [registry] });
  const repairs = new client.Counter({
    name: 'switchyard_reconciler_repairs_total', help: 'Reconciler repairs (provision, start, stop, destroy) that ran, by outcome (done, failed)',
    labelNames: ['outcome'] as const, registers: [registry],
  });
  // Both outcomes are exposed from the start, so a rate over failures exists before the first one.
  for (const outcome of ['done', 'failed']) repairs.inc({ outcome }, 0);
  return {
    drift: gauge('switchyard_reconciler_drift', 'Drift entries (missing, stopped, changed... containers) found by the last full reconciler sweep'),
    drifted: gauge('switchyard_reconciler_drifted_environments', 'Environments with at least one drift at the last full reconciler sweep'),
    orphans: gauge('switchyard_reconciler_orphans', 'Containers with Switchyard labels that no environment owns, at the last full reconciler sweep'),
    lastSweep: gauge('switchyard_reconciler_last_sweep_timestamp_seconds', 'When the last full reconciler sweep that compared anything finished (Unix seconds; 0: none yet)'),
    repairs,
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
  const rows = await sql<{ state: string | null; n: number }[]>`
    select state, count(*)::int as n from pg_stat_activity
    where usename = current_user and application_name = 'switchyard' and pid <> pg_backend_pid()
    group by state`;
  for (const state of CONNECTION_STATES) m.connections.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
}

/** Counts only, through environment_census() (SECURITY DEFINER): the app role reads no other tenant's rows. */
async function sampleEnvironments(sql: postgres.Sql): Promise<void> {
  const rows = await sql<{ status: string; stage: string; environments: number }[]>`select status, stage, environments from environment_census()`;
  const gauge = metrics().environments;
  gauge.reset();
  // Every known pair is present (0 when none), so a dashboard sees a status fall to zero rather than vanish.
  for (const status of ENVIRONMENT_STATUSES) for (const stage of ENVIRONMENT_STAGES) gauge.set({ status, stage }, 0);
  for (const row of rows) gauge.set({ status: row.status, stage: row.stage }, row.environments);
}

/** A reconciler check's figures: gauges from full sweeps (a re-check covers one environment), repairs from every check. */
export function observeReconcile(report: Pick<SweepReport, 'trigger' | 'error' | 'counts'>): void {
  const m = metrics().reconciler;
  m.repairs.inc({ outcome: 'done' }, report.counts.actionsDone);
  m.repairs.inc({ outcome: 'failed' }, report.counts.actionsFailed);
  if (report.trigger !== 'sweep' || report.error) return;
  m.drift.set(report.counts.drift);
  m.drifted.set(report.counts.drifted);
  m.orphans.set(report.counts.orphans);
  m.lastSweep.set(Date.now() / 1000);
}

/** Database figures into the registry now; skipped (not fatal) if the database is down. */
export async function sampleDatabaseFigures(sql: postgres.Sql): Promise<void> {
  await Promise.all([sampleDatabase(sql).catch(() => undefined), sampleEnvironments(sql).catch(() => undefined)]);
}

/** The text exposition, database figures sampled first when `sql` is given. */
export async function metricsText(sql?: postgres.Sql): Promise<{ contentType: string; body: string }> {
  if (sql) await sampleDatabaseFigures(sql);
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
