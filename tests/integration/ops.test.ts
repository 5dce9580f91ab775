import { describe, expect, it } from 'vitest';
import { expectedMigrationCount } from '@/db/migrate';
import { metricsAccess } from '@/server/http/metrics-access';
import { CLIENT_IP_HEADER } from '@/server/http/request-meta';
import { baseUrl } from '../helpers/http';

describe('operations endpoints', () => {
  it('/api/ready answers 200 with the migration count once the database is current; /api/health stays liveness', async () => {
    const ready = await fetch(`${baseUrl()}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', migrations: await expectedMigrationCount() });
    const health = await fetch(`${baseUrl()}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('every response carries x-request-id: a safe incoming id is kept, an unsafe one replaced', async () => {
    const kept = await fetch(`${baseUrl()}/api/health`, { headers: { 'x-request-id': 'lb-trace-42' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-trace-42');
    const replaced = await fetch(`${baseUrl()}/api/health`, { headers: { 'x-request-id': 'evil\tid with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const trpc = await fetch(`${baseUrl()}/api/trpc/me.whoami?input=%7B%7D`);
    expect(trpc.status).toBe(401);
    expect(trpc.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('/api/metrics exposes request durations by route template and status, process and pool figures', async () => {
    const tenantId = crypto.randomUUID();
    for (let i = 0; i < 3; i++) await fetch(`${baseUrl()}/api/v1/tenants/${tenantId}/sites`);
    const res = await fetch(`${baseUrl()}/api/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const bucket = /switchyard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tenants\/\{tenantId\}\/sites",status="401"\} (\d+)/.exec(text);
    expect(bucket, 'histogram series for the site list').not.toBeNull();
    expect(Number(bucket![1])).toBeGreaterThanOrEqual(3);
    expect(text).toContain('switchyard_http_request_duration_seconds_bucket');
    expect(text).toMatch(/process_cpu_user_seconds_total \d/);
    expect(text).toMatch(/switchyard_db_pool_max_connections \d+/);
    expect(text).toMatch(/switchyard_db_connections\{state="idle"\} \d+/);
    // No id ever becomes a label value (unbounded series).
    expect(text).not.toContain(tenantId);
    expect(text).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('unknown paths collapse into one route label instead of a series per URL', async () => {
    await fetch(`${baseUrl()}/api/v1/no/such/${crypto.randomUUID()}`);
    await fetch(`${baseUrl()}/api/trpc/not.a.procedure`);
    const text = await (await fetch(`${baseUrl()}/api/metrics`)).text();
    expect(text).toContain('route="/api/v1/*unmatched",status="404"');
    expect(text).toContain('route="/api/trpc/*unmatched"');
    expect(text).not.toContain('not.a.procedure');
  });
});

describe('who may read metrics', () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('without METRICS_TOKEN: this machine only', () => {
    expect(metricsAccess(headers({ [CLIENT_IP_HEADER]: '127.0.0.1' }), undefined)).toEqual({ ok: true });
    expect(metricsAccess(headers({ [CLIENT_IP_HEADER]: '::1' }), undefined)).toEqual({ ok: true });
    const remote = metricsAccess(headers({ [CLIENT_IP_HEADER]: '10.1.2.3' }), undefined);
    expect(remote).toMatchObject({ ok: false, status: 403 });
    expect(remote.ok ? '' : remote.message).toContain('METRICS_TOKEN');
    expect(metricsAccess(headers({}), undefined)).toMatchObject({ ok: false, status: 403 });
  });

  it('with METRICS_TOKEN: the bearer token decides, wherever the caller is', () => {
    const token = 'scrape-secret-123';
    expect(metricsAccess(headers({ authorization: `Bearer ${token}`, [CLIENT_IP_HEADER]: '10.1.2.3' }), token)).toEqual({ ok: true });
    expect(metricsAccess(headers({ authorization: 'Bearer wrong', [CLIENT_IP_HEADER]: '127.0.0.1' }), token)).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(headers({ [CLIENT_IP_HEADER]: '127.0.0.1' }), token)).toMatchObject({ ok: false, status: 401 });
    const refused = metricsAccess(headers({ authorization: 'Bearer wrong' }), token);
    expect(JSON.stringify(refused)).not.toContain(token);
  });
});
