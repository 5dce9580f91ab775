import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { startTestS3 } from './s3';

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

/**
 * One real Postgres for the whole run, migrated like production; each test file makes its own tenants.
 * The run's other backing service, object storage, starts here too (one embedded S3 server, see s3.ts).
 */
export default async function setup(project: TestProject) {
  const root = path.resolve('.test-data');
  await mkdir(root, { recursive: true });
  const dataDir = await mkdtemp(path.join(root, 'pg-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/setup/database-process.ts', dataDir, String(await freePort())], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the test database process exited with ${code} before it was ready`)));
  });
  const urls = JSON.parse(first) as { ownerUrl: string; appUrl: string };
  project.provide('appDbUrl', urls.appUrl);
  project.provide('ownerDbUrl', urls.ownerUrl);
  const stopS3 = await startTestS3(project).catch(async (err) => {
    child.kill('SIGTERM');
    await exited;
    throw err;
  });
  return async () => {
    child.kill('SIGTERM');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
    await stopS3();
  };
}
