import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext { appDbUrl: string; ownerDbUrl: string }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

/** One real Postgres for the whole run, migrated like production; each test file makes its own tenants. */
export default async function setup(project: TestProject) {
  const root = path.resolve('.test-data');
  await mkdir(root, { recursive: true });
  const dataDir = await mkdtemp(path.join(root, 'pg-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  await runMigrations(pg.ownerUrl);
  project.provide('appDbUrl', pg.appUrl);
  project.provide('ownerDbUrl', pg.ownerUrl);
  return async () => {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
