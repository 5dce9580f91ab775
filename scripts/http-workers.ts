// HTTP is served by worker processes (node:cluster) sharing one port, so the console and API use every core; the
// first process keeps what must exist once (database, storage, jobs, reconciler) and answers metrics scrapes for all.
import cluster, { type Worker } from 'node:cluster';
import { RestartBackoff } from '@/lib/process/restart-backoff';
import { logger } from '@/server/logger';
import { answerMetricsCollection } from '@/server/metrics-cluster';
import { startConsole } from './serve';
import { ignoreSignal, onStopSignal } from './stop-signals';

// A worker that keeps dying within a minute of its start is replaced after 1, 2, 4... up to 60 seconds.
const RESTART_BACKOFF = { initialMs: 1_000, maxMs: 60_000, stableAfterMs: 60_000 };
const STOP_GRACE_MS = 10_000;
// Only the first process uses these: the owner role's URL (migrations, the job queue) and the first operator's
// sign-in. A worker, which faces the network, never holds them (undefined drops a variable from the worker's env).
const FIRST_PROCESS_ONLY = { DATABASE_URL: undefined, SWITCHYARD_BOOTSTRAP_EMAIL: undefined, SWITCHYARD_BOOTSTRAP_PASSWORD: undefined };

export interface HttpWorkers { stop: () => Promise<void> }

/** In the first process: starts `count` workers, resolves once all listen, and replaces one that dies. */
export async function startHttpWorkers(count: number): Promise<HttpWorkers> {
  let stopping = false;
  const backoff = new RestartBackoff(RESTART_BACKOFF);
  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork(FIRST_PROCESS_ONLY);
    startedAt.set(worker.id, Date.now());
    // A send to a worker that just died errors on its Worker object; logged, so it can never stop this process.
    return worker.on('error', (err) => logger.warn({ err }, 'message to an HTTP worker failed'));
  };
  // Every exit this process did not ask for is replaced, whatever its code (workers leave Ctrl+C to this process).
  const exited = (worker: Worker, code: number | null, signal: string | null) => {
    const ranForMs = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) return;
    const delayMs = backoff.next(ranForMs);
    logger.error({ pid: worker.process.pid, code, signal, ranForMs, restartInMs: delayMs }, 'an HTTP worker exited; starting another');
    setTimeout(() => { if (!stopping) fork(); }, delayMs);
  };
  const listening = new Promise<void>((resolve, reject) => {
    let ready = 0;
    const onListening = () => { if (++ready === count) { cluster.off('exit', onEarlyExit); resolve(); } };
    // A worker that cannot start (bad build, port taken) stops the start-up instead of being restarted forever.
    const onEarlyExit = (worker: Worker, code: number | null) => reject(new Error(`an HTTP worker (pid ${worker.process.pid}) exited with ${code} while starting; see the lines above`));
    cluster.on('listening', onListening);
    cluster.on('exit', onEarlyExit);
  });
  for (let i = 0; i < count; i++) fork();
  try {
    await listening;
  } catch (err) {
    stopping = true;
    await stopWorkers();
    throw err;
  }
  cluster.on('exit', exited);
  return {
    stop: async () => {
      stopping = true;
      await stopWorkers();
    },
  };
}

/** Asks every worker to finish its requests and exit; one still running after the grace period is killed. */
async function stopWorkers(): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w) && !w!.isDead());
  await Promise.all(workers.map((worker) => new Promise<void>((resolve) => {
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_GRACE_MS);
    worker.once('exit', () => { clearTimeout(kill); resolve(); });
    worker.process.kill('SIGTERM');
  })));
}

/**
 * In a worker: serves HTTP until the first process sends SIGTERM. Ctrl+C reaches every process of the terminal's
 * group; the first process answers it by stopping the workers, so a worker ignores SIGINT rather than race it.
 */
export async function runHttpWorker(opts: { dev: boolean; host: string; port: number }): Promise<void> {
  answerMetricsCollection();
  const server = await startConsole(opts);
  const stop = async () => {
    const forced = setTimeout(() => server.server.closeAllConnections(), STOP_GRACE_MS / 2);
    server.server.closeIdleConnections();
    await server.close();
    clearTimeout(forced);
    process.exit(0);
  };
  onStopSignal(() => void stop(), ['SIGTERM']);
  ignoreSignal('SIGINT');
}
