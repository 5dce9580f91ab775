// The job worker as a process of its own (`node --import tsx server/jobs/worker-main.ts`), for when the platform
// grows past one app process: DATABASE_URL (owner, for the queue) and DATABASE_APP_URL (the app role) must be set.
import { connect } from '@/db/client';
import { config } from '@/server/config';
import { logger } from '@/server/logger';
import { gatewayRuntime } from '@/server/services/environments-runtime';
import { startEnvironmentWorker } from './worker';

async function main() {
  const { DATABASE_URL: ownerUrl, DATABASE_APP_URL: appUrl } = config();
  if (!ownerUrl || !appUrl) throw new Error('set DATABASE_URL (owner role) and DATABASE_APP_URL (app role) to run the worker on its own');
  const db = connect(appUrl, { max: 5 });
  const worker = await startEnvironmentWorker(ownerUrl, { db: db.db, runtime: gatewayRuntime(), healthTimeoutMs: config().SWITCHYARD_HEALTH_TIMEOUT_MS });
  logger.info({ queue: config().SWITCHYARD_JOB_QUEUE }, 'environment job worker started');
  const stop = async () => {
    await worker.stop();
    await db.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  logger.error({ err }, 'the job worker could not start');
  process.exit(1);
});
