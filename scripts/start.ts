// `npm start`: prepares the database (embedded Postgres unless DATABASE_URL is set), applies migrations,
// prepares object storage (an embedded S3 server unless S3_ENDPOINT is set), makes sure a first operator
// exists, builds the console when its sources changed, and serves it from SWITCHYARD_HTTP_WORKERS processes
// (scripts/http-workers.ts); this same file is each worker's entry.
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runHttpWorker, startHttpWorkers } from './http-workers';
import { buildIfStale } from './serve';
import { onStopSignal } from './stop-signals';
import { ConfigError, parseConfig } from '@/server/config';
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { connect } from '@/db/client';
import { ensureDemoTenant, ensurePlatformOperator } from '@/server/services/bootstrap';
import { logger } from '@/server/logger';
import { appDb } from '@/server/db';
import { startJobs } from '@/server/jobs/worker';
import { gatewayRuntime } from '@/server/services/environments-runtime';
import { serveMetricsScrapes } from '@/server/metrics-cluster';
import { startObjectStorage } from '@/server/storage/startup';

async function persistentSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

async function main() {
  const dev = process.argv.includes('--dev');
  (process.env as Record<string, string>).NODE_ENV = dev ? 'development' : 'production';
  const config = parseConfig(process.env);
  if (cluster.isWorker) return runHttpWorker({ dev, host: config.HOST, port: config.PORT });
  const dataDir = path.resolve(config.SWITCHYARD_DATA_DIR);
  await mkdir(dataDir, { recursive: true });

  let ownerUrl = config.DATABASE_URL;
  let appUrl = config.DATABASE_APP_URL;
  let stopDatabase = async () => {};
  if (!ownerUrl || !appUrl) {
    logger.info({ dataDir }, 'starting embedded Postgres');
    const pg = await startEmbeddedPostgres({ dataDir, port: config.SWITCHYARD_PG_PORT });
    ({ ownerUrl, appUrl } = pg);
    stopDatabase = pg.stop;
  }
  await runMigrations(ownerUrl);
  logger.info('database migrations are current');
  // Sets S3_* for the console's bundle, which reads them through objectStore().
  const storage = await startObjectStorage(config, dataDir);

  process.env.DATABASE_APP_URL = appUrl;
  process.env.NEXTAUTH_SECRET = config.AUTH_SECRET ?? await persistentSecret(path.join(dataDir, 'auth-secret'));
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  process.env.NEXTAUTH_URL = publicUrl;

  const boot = connect(appUrl, { max: 2 });
  const operator = await ensurePlatformOperator(boot.db, config.SWITCHYARD_BOOTSTRAP_EMAIL && config.SWITCHYARD_BOOTSTRAP_PASSWORD
    ? { email: config.SWITCHYARD_BOOTSTRAP_EMAIL, password: config.SWITCHYARD_BOOTSTRAP_PASSWORD } : undefined);
  if (config.SWITCHYARD_DEMO) await ensureDemoTenant(boot.db, operator.email);
  await boot.close();
  const jobs = await startJobs(ownerUrl, { db: appDb().db, runtime: gatewayRuntime(), healthTimeoutMs: config.SWITCHYARD_HEALTH_TIMEOUT_MS }, {
    worker: config.SWITCHYARD_WORKER, reconcileSeconds: config.SWITCHYARD_RECONCILER ? config.SWITCHYARD_RECONCILE_SECONDS : null,
  });

  if (!dev) buildIfStale(); // here only: a worker replaced later must never rebuild under the running ones
  serveMetricsScrapes(appDb().sql);
  // Development runs one worker: Next's dev server compiles on demand and would do so in each.
  const http = await startHttpWorkers(dev ? 1 : config.SWITCHYARD_HTTP_WORKERS ?? Math.min(os.availableParallelism(), 4));
  const banner = [
    '',
    `  Switchyard is running at ${publicUrl}`,
    `  Sign in as ${operator.email}`,
    config.SWITCHYARD_BOOTSTRAP_PASSWORD ? '  Password: the value of SWITCHYARD_BOOTSTRAP_PASSWORD'
      : operator.password ? `  Password: ${operator.password}   (shown this once; stored only as a hash)`
        : '  Password: printed on the first start (set SWITCHYARD_BOOTSTRAP_EMAIL and SWITCHYARD_BOOTSTRAP_PASSWORD to choose one)',
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await http.stop();
    await jobs.stop();
    await storage.close();
    await stopDatabase();
    process.exit(0);
  };
  onStopSignal((signal) => void shutdown(signal));
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else logger.error({ err }, 'start-up failed');
  process.exit(1);
});
