import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../../scripts/serve';
import { freePort } from './global-db';
import { s3Env } from './s3';

declare module 'vitest' {
  export interface ProvidedContext { baseUrl: string; operatorEmail: string; operatorPassword: string; secretKey: string; httpWorkers: number }
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  // Generous: start-up may wait for a build another process holds the lock for.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the test server exited with ${child.exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the test server did not answer within 300 s; see ${logFile}`);
}

/**
 * The real product (production build, our HTTP server) on the test database, for tests that speak HTTP.
 * Runs after global-db, whose database URLs and S3 server it uses.
 */
export default async function setup(project: TestProject) {
  buildIfStale();
  const port = await freePort();
  const dir = await mkdtemp(path.join(path.resolve('.test-data'), 'server-'));
  await mkdir(dir, { recursive: true });
  const operatorEmail = 'operator@switchyard.test';
  const operatorPassword = `pw-${randomBytes(9).toString('base64url')}`;
  const logFile = path.join(dir, 'server.log');
  // One sealing and signing key for the server and the test files: secrets sealed or links signed by a test are the
  // server's own, as with several replicas of the product.
  const secretKey = randomBytes(32).toString('hex');
  const httpWorkers = 2; // as on a two-core machine, whatever this one has
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', SWITCHYARD_DATA_DIR: dir,
      DATABASE_URL: project.getProvidedContext().ownerDbUrl, DATABASE_APP_URL: project.getProvidedContext().appDbUrl,
      ...s3Env(project.getProvidedContext().s3),
      AUTH_SECRET: randomBytes(32).toString('base64url'), SWITCHYARD_SECRET_KEY: secretKey, SWITCHYARD_HTTP_WORKERS: String(httpWorkers), SWITCHYARD_DEMO: 'false', LOG_LEVEL: 'warn',
      SWITCHYARD_BOOTSTRAP_EMAIL: operatorEmail, SWITCHYARD_BOOTSTRAP_PASSWORD: operatorPassword,
      // Docker suites provision environments of this database from their own data dirs; the server's reconciler
      // would see their mounts as drift and re-create their gateways. Suites start the reconciler they test.
      SWITCHYARD_RECONCILER: 'false',
      // Docker suites make their backup schedules due and run the scheduler's pass themselves.
      SWITCHYARD_BACKUP_SCHEDULER: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(baseUrl, child, logFile);
  project.provide('baseUrl', baseUrl);
  project.provide('operatorEmail', operatorEmail);
  project.provide('operatorPassword', operatorPassword);
  project.provide('secretKey', secretKey);
  project.provide('httpWorkers', httpWorkers);
  return async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
}
