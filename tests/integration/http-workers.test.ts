import { describe, expect, inject, it } from 'vitest';
import { DEFAULT_POOL_MAX } from '@/server/config';
import { baseUrl, statusOnFreshConnection } from '../helpers/http';

const scrape = async () => (await fetch(`${baseUrl()}/api/metrics`)).text();

// No other test sends DELETE to /api/health: this series counts only this file's requests.
const deleteHealthCount = (text: string) =>
  Number(/switchyard_http_request_duration_seconds_count\{method="DELETE",route="\/api\/health",status="405"\} (\d+)/.exec(text)?.[1] ?? 0);

describe('HTTP served by several worker processes', () => {
  it('/api/metrics counts the requests every worker served, whichever worker answers the scrape', async () => {
    const before = deleteHealthCount(await scrape());
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push(await statusOnFreshConnection('DELETE', `${baseUrl()}/api/health`));
    expect(statuses).toEqual(Array(12).fill(405));
    for (let i = 0; i < 4; i++) expect(deleteHealthCount(await scrape()) - before).toBe(12);
  });

  it('sums the processes\' own figures: the first process and each worker hold a database pool', async () => {
    const perProcess = Number(process.env.DATABASE_POOL_MAX ?? DEFAULT_POOL_MAX);
    const text = await scrape();
    expect(text).toContain(`switchyard_db_pool_max_connections ${perProcess * (inject('httpWorkers') + 1)}\n`);
  });
});
