// Restarting this machine's Docker engine, which runs without systemd: SIGTERM to the dockerd named by its pid file,
// wait until it has gone, start it again detached the way scripts/test.sh does. Whatever fails on the way, the
// machine is left with a dockerd running (ensureDockerd), because every other suite needs one.
// To try the suite on a private engine instead (nothing else disturbed): DOCKER_HOST=unix:///<its socket>,
// SWITCHYARD_TEST_DOCKERD_PIDFILE=<its --pidfile>, SWITCHYARD_TEST_DOCKERD_START=<a shell command starting it>.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PID_FILE = process.env.SWITCHYARD_TEST_DOCKERD_PIDFILE ?? '/var/run/docker.pid';
const LOG_FILE = '/tmp/switchyard-dockerd.log';
const START = process.env.SWITCHYARD_TEST_DOCKERD_START ?? `nohup dockerd >>${LOG_FILE} 2>&1`;
/** Beyond dockerd's own 15 s shutdown timeout, for stopping many containers on a loaded machine. */
const EXIT_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 60_000;

const asRoot = (command: string[]) => (process.getuid?.() === 0 ? command : ['sudo', '-n', ...command]);

/** `docker info` answers: the engine is up. */
export async function engineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

async function enginePid(): Promise<number | null> {
  const text = await readFile(PID_FILE, 'utf8').catch(() => '');
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process, but there
  }
}

async function signal(pid: number, name: 'TERM' | 'KILL'): Promise<void> {
  const [command, ...args] = asRoot(['kill', `-${name}`, String(pid)]);
  await run(command!, args);
}

/** Polls until `check` holds; answers the milliseconds it took, or throws naming what it waited for. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const began = Date.now();
  while (!(await check())) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
  return Date.now() - began;
}

/** Starts dockerd unless the engine answers; a dockerd still shutting down is waited for first (it holds the pid file). */
export async function ensureDockerd(): Promise<void> {
  if (await engineAnswers()) return;
  const old = await enginePid();
  if (old !== null) {
    const gone = await until(`dockerd ${old} to exit`, () => !alive(old), EXIT_TIMEOUT_MS).then(() => true, () => false);
    if (!gone) {
      await signal(old, 'KILL');
      await until(`dockerd ${old} to exit after SIGKILL`, () => !alive(old), 10_000);
    }
  }
  if (await engineAnswers()) return; // someone else started it meanwhile
  const [command, ...args] = asRoot(['sh', '-c', `${START} &`]);
  spawn(command!, args, { detached: true, stdio: 'ignore' }).unref();
  await until(`dockerd to answer again (started with: ${START})`, engineAnswers, START_TIMEOUT_MS);
}

export interface RestartTimings {
  /** From SIGTERM until `docker info` failed. */
  refusedAfterMs: number;
  /** From SIGTERM until the old process had exited (its containers stopped). */
  exitedAfterMs: number;
  /** From SIGTERM until `docker info` answered again. */
  backAfterMs: number;
}

/** SIGTERM, wait for the engine to refuse and the process to exit, start a new one, wait until it answers. */
export async function restartDockerd(): Promise<RestartTimings> {
  const pid = await enginePid();
  if (pid === null) throw new Error(`no running dockerd is named by ${PID_FILE}; start Docker, then run this suite again`);
  const began = Date.now();
  await signal(pid, 'TERM');
  try {
    const refusedAfterMs = await until('docker info to fail', async () => !(await engineAnswers()), 30_000);
    await until(`dockerd ${pid} to exit`, () => !alive(pid), EXIT_TIMEOUT_MS);
    const exitedAfterMs = Date.now() - began;
    await ensureDockerd();
    return { refusedAfterMs, exitedAfterMs, backAfterMs: Date.now() - began };
  } finally {
    await ensureDockerd();
  }
}
