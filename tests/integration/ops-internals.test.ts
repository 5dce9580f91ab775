import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMigrationCount } from '@/db/migrate';
import { metricsText } from '@/server/metrics';
import { createRequestObserver } from '@/server/http/observe';
import { checkReadiness } from '@/server/http/readiness';
import { noteActorType } from '@/server/http/request-scope';
import { freePort } from '../setup/global-db';
import { appDb, ownerDb } from '../helpers/db';

// The parts of the operations surface that the shared test server cannot show: a database that is down or behind
// on migrations, and the request log (the test server logs at warn level).

describe('readiness', () => {
  it('is ready on the migrated test database, as the app role', async () => {
    expect(await checkReadiness(appDb().sql)).toEqual({ ready: true, migrations: await expectedMigrationCount() });
  });

  it('is not ready when the database does not answer, and says so without the driver\'s details', async () => {
    const nowhere = postgres(`postgres://switchyard_app:secret-pw@127.0.0.1:${await freePort()}/switchyard`, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      const state = await checkReadiness(nowhere);
      expect(state).toMatchObject({ ready: false, reason: expect.stringContaining('database does not answer') });
      expect(JSON.stringify(state)).not.toContain('secret-pw');
      expect(JSON.stringify(state)).not.toContain('127.0.0.1');
    } finally {
      await nowhere.end({ timeout: 1 });
    }
  });

  it('is not ready when the applied migrations differ from the build\'s, naming both counts', async () => {
    const rollback = new Error('rollback');
    let seen: Awaited<ReturnType<typeof checkReadiness>> | undefined;
    await ownerDb().sql.begin(async (tx) => {
      await tx`insert into drizzle.__drizzle_migrations (hash, created_at) values ('test-extra', 0)`;
      seen = await checkReadiness(tx);
      throw rollback;
    }).catch((err: unknown) => { if (err !== rollback) throw err; });
    const expected = await expectedMigrationCount();
    expect(seen).toEqual({ ready: false, reason: expect.stringContaining(`has ${expected + 1} migrations applied, this build expects ${expected}`) });
  });
});

describe('the request observer', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
    const observe = await createRequestObserver(pino(sink));
    server = createServer((req, res) => void observe(req, res, async () => {
      if (req.headers.authorization) noteActorType('token');
      res.statusCode = req.url?.includes('missing') ? 404 : 200;
      res.end(`id=${req.headers['x-request-id']}`);
    }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes one line per API request: method, route template, status, duration, request id, actor type; no secrets', async () => {
    const tenantId = crypto.randomUUID();
    const res = await fetch(`${url}/api/v1/tenants/${tenantId}/sites?password=hunter2`, {
      headers: { authorization: 'Bearer sy_super-secret-token', cookie: 'next-auth.session-token=cookie-secret' },
    });
    const requestId = res.headers.get('x-request-id');
    expect(await res.text()).toBe(`id=${requestId}`); // the handler sees the same id the client gets
    await new Promise((r) => setTimeout(r, 20));
    const line = lines.find((l) => l.requestId === requestId);
    expect(line).toMatchObject({ msg: 'api request', method: 'GET', route: '/api/v1/tenants/{tenantId}/sites', status: 200, actorType: 'token' });
    expect(line!.durationMs).toEqual(expect.any(Number));
    const text = JSON.stringify(lines);
    for (const secret of ['sy_super-secret-token', 'cookie-secret', 'hunter2', tenantId]) expect(text).not.toContain(secret);
  });

  it('logs anonymous callers as such, skips pages and assets, and still times them', async () => {
    const before = lines.length;
    await (await fetch(`${url}/api/v1/missing`)).text();
    await (await fetch(`${url}/t/some-tenant/sites`)).text();
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.slice(before)).toEqual([expect.objectContaining({ route: '/api/v1/*unmatched', status: 404, actorType: 'anonymous' })]);
    const { body } = await metricsText();
    expect(body).toMatch(/switchyard_http_request_duration_seconds_count\{method="GET",route="\(page\)",status="200"\} [1-9]/);
  });
});
