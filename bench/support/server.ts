/** The production server for benches: `npm start`'s command (builds when stale) on a given database, loopback only. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { processTree } from '../../tests/helpers/processes';
import { freePort } from '../../tests/setup/global-db';

export const BENCH_OPERATOR = { email: 'bench-operator@bench.test', password: 'bench-operator-password' };

export interface BenchServer { child: ChildProcess; baseUrl: string; logFile: string }

/** The node flags and entry of `npm start` (package.json), so a bench measures the server as users run it. */
function startCommandArgs(): string[] {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [program, ...args] = start.trim().split(/\s+/);
  if (program !== 'node' || !args.includes('scripts/start.ts')) throw new Error(`package.json's start script is no longer "node ... scripts/start.ts": ${start}`);
  return args;
}

export async function startServer(ownerUrl: string, appUrl: string, dataDir: string, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort();
  const logFile = path.join(dataDir, 'server.log');
  // Straight to a file: a pipe through this busy process would stall the server's synchronous log writes.
  const logFd = openSync(logFile, 'a');
  // BENCH_SERVER_NODE_ARGS passes flags to the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...startCommandArgs()], {
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', SWITCHYARD_DATA_DIR: dataDir, DATABASE_URL: ownerUrl, DATABASE_APP_URL: appUrl,
      SWITCHYARD_DEMO: 'false', SWITCHYARD_BOOTSTRAP_EMAIL: BENCH_OPERATOR.email, SWITCHYARD_BOOTSTRAP_PASSWORD: BENCH_OPERATOR.password,
      ...extraEnv,
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000; // a first run builds the console
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}; see ${logFile}`);
    const ready = await fetch(`${baseUrl}/api/ready`).then((r) => r.ok, () => false);
    if (ready) return { child, baseUrl, logFile };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  throw new Error(`the server was not ready within 300 s; see ${logFile}`);
}

export async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The server's high-water resident set (VmHWM) in MiB: the sum over the process and its HTTP workers, each at its
 * own peak (so at most what they held together).
 */
export async function peakRssMiB(pid: number): Promise<number> {
  let kib = 0;
  for (const p of await processTree(pid)) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    kib += Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  }
  return kib > 0 ? kib / 1024 : NaN;
}
