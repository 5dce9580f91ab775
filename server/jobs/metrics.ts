// Job metrics on the process registry (GET /api/metrics): durations by kind and outcome, failures, and the queue's
// depth at scrape time. Kept on globalThis like the registry, so module copies share them.
import client from 'prom-client';
import type postgres from 'postgres';
import { metrics } from '@/server/metrics';
import { PGBOSS_SCHEMA, queueName } from './queue';

interface JobMetrics {
  duration: client.Histogram<'kind' | 'outcome'>;
  failures: client.Counter<'kind'>;
  queued: client.Gauge<'state'>;
}

const holder = globalThis as unknown as { switchyardJobMetrics?: JobMetrics; switchyardJobQueueSql?: postgres.Sql };

export function jobMetrics(): JobMetrics {
  holder.switchyardJobMetrics ??= {
    duration: new client.Histogram({
      name: 'switchyard_environment_job_duration_seconds',
      help: 'Environment job run time by kind (provision, change, start, ...) and outcome (succeeded, failed, rolled_back)',
      labelNames: ['kind', 'outcome'], buckets: [1, 2.5, 5, 10, 30, 60, 120, 300, 600], registers: [metrics().registry],
    }),
    failures: new client.Counter({
      name: 'switchyard_environment_job_failures_total', help: 'Environment jobs that failed or were rolled back, by kind',
      labelNames: ['kind'], registers: [metrics().registry],
    }),
    queued: new client.Gauge({
      name: 'switchyard_environment_jobs', help: 'Environment jobs in the queue by state (created, retry, active), read at scrape time',
      labelNames: ['state'], registers: [metrics().registry],
      async collect() {
        const sql = holder.switchyardJobQueueSql;
        if (!sql) return;
        const rows = await sql.unsafe<{ state: string; n: number }[]>(
          `select state::text, count(*)::int as n from ${PGBOSS_SCHEMA}.job where name = $1 and state in ('created', 'retry', 'active') group by state`, [queueName()]);
        this.reset();
        for (const row of rows) this.set({ state: row.state }, row.n);
      },
    }),
  };
  return holder.switchyardJobMetrics;
}

/** The worker lends its owner connection so a scrape can count the queue. */
export function countQueueWith(sql: postgres.Sql | undefined): void {
  jobMetrics(); // registered from the worker's start, before the first job finishes
  holder.switchyardJobQueueSql = sql;
}

export function observeJob(kind: string, outcome: 'succeeded' | 'failed' | 'rolled_back', seconds: number): void {
  const m = jobMetrics();
  m.duration.observe({ kind, outcome }, seconds);
  if (outcome !== 'succeeded') m.failures.inc({ kind });
}
