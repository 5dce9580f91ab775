import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '@/db/client';
import { startEmbeddedPostgres } from '@/db/embedded';
import { freePort } from '../setup/global-db';

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 30_000,
  });
}

describe('start-up configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /PORT:/],
    [{ PORT: '70000' }, /PORT:/],
    [{ DATABASE_URL: 'postgres://owner@localhost/db' }, /DATABASE_APP_URL: is required with DATABASE_URL/],
    [{ OIDC_ISSUER: 'https://login.example.com' }, /OIDC_ISSUER: .*set all three or none/],
    [{ SWITCHYARD_BOOTSTRAP_EMAIL: 'not-an-email', SWITCHYARD_BOOTSTRAP_PASSWORD: 'long enough password' }, /SWITCHYARD_BOOTSTRAP_EMAIL:/],
    [{ SWITCHYARD_BOOTSTRAP_EMAIL: 'ops@example.com', SWITCHYARD_BOOTSTRAP_PASSWORD: 'short' }, /SWITCHYARD_BOOTSTRAP_PASSWORD: must be at least 12/],
    [{ AUTH_SECRET: 'too-short' }, /AUTH_SECRET: must be at least 32/],
    [{ SWITCHYARD_HTTP_WORKERS: '0' }, /SWITCHYARD_HTTP_WORKERS: must be at least 1/],
    [{ DATABASE_POOL_MAX: 'many' }, /DATABASE_POOL_MAX:/],
  ])('refuses %o, naming the variable, before touching anything', (env, message) => {
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).not.toContain('Switchyard is running');
  });
});

describe('embedded Postgres', () => {
  it('keeps its data across a restart in the same data folder', async () => {
    const dataDir = await mkdtemp(path.join(path.resolve('.test-data'), 'restart-'));
    try {
      const port = await freePort();
      const first = await startEmbeddedPostgres({ dataDir, port });
      const owner = connect(first.ownerUrl, { max: 1 });
      await owner.sql`create table kept (v text)`;
      await owner.sql`insert into kept values ('still here')`;
      await owner.close();
      await first.stop();

      const second = await startEmbeddedPostgres({ dataDir, port });
      const again = connect(second.ownerUrl, { max: 1 });
      expect(await again.sql`select v from kept`).toEqual([{ v: 'still here' }]);
      await again.close();
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each([['a Unix socket in the data folder', false], ['loopback TCP when the folder is too deep for a socket path', true]])(
    'serves the app role over %s', async (_, deep) => {
      const base = await mkdtemp(path.join(path.resolve('.test-data'), 'socket-'));
      const dataDir = deep ? path.join(base, 'd'.repeat(90)) : base;
      await chmod(base, 0o711); // the server's own user passes through to the deep folder
      try {
        const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
        expect(new URL(pg.appUrl).searchParams.get('host')).toBe(deep ? null : path.join(dataDir, 'run'));
        expect(pg.socketDir).toBe(deep ? null : path.join(dataDir, 'run'));
        const app = connect(pg.appUrl, { max: 1 });
        // The server's address is null on a Unix socket.
        expect(await app.sql`select inet_server_addr() as addr, current_user as who`).toEqual([{ addr: deep ? '127.0.0.1' : null, who: 'switchyard_app' }]);
        await app.close();
        await pg.stop();
      } finally {
        await rm(base, { recursive: true, force: true });
      }
    }, 60_000);
});
