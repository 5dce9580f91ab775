import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { statusOnFreshConnection } from '../helpers/http';
import { childrenByParent } from '../helpers/processes';
import { freePort } from '../setup/global-db';
import { s3Env } from '../setup/s3';

/** The HTTP workers of a server: its live child processes running the same entry. */
async function workersOf(pid: number): Promise<number[]> {
  const children = (await childrenByParent()).get(pid) ?? [];
  const cmdlines = await Promise.all(children.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return children.filter((_, i) => cmdlines[i]!.includes('scripts/start.ts')).sort((a, b) => a - b);
}

async function environmentOf(pid: number): Promise<Map<string, string>> {
  const pairs = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0').filter(Boolean);
  return new Map(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The delays the server logged before replacing each dead worker, in order. */
function restartDelays(output: string): number[] {
  return output.split('\n').filter((line) => line.includes('an HTTP worker exited; starting another'))
    .map((line) => (JSON.parse(line) as { restartInMs: number }).restartInMs);
}

const freshGet = (url: string) => statusOnFreshConnection('GET', url);

describe('HTTP worker processes', () => {
  it('hold none of the first process\'s owner secrets, replace a worker that dies while the others answer, back off when replacements keep dying, and all stop with the server', async () => {
    const dir = await mkdtemp(path.join(path.resolve('.test-data'), 'workers-'));
    const port = await freePort();
    const server = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env: {
        ...process.env, PORT: String(port), HOST: '127.0.0.1', SWITCHYARD_DATA_DIR: dir, SWITCHYARD_HTTP_WORKERS: '2',
        DATABASE_URL: inject('ownerDbUrl'), DATABASE_APP_URL: inject('appDbUrl'), ...s3Env(inject('s3')),
        AUTH_SECRET: randomBytes(32).toString('base64url'), SWITCHYARD_DEMO: 'false', LOG_LEVEL: 'warn',
        SWITCHYARD_BOOTSTRAP_EMAIL: inject('operatorEmail'), SWITCHYARD_BOOTSTRAP_PASSWORD: inject('operatorPassword'),
        // Nothing that would take work from the suite's own server.
        SWITCHYARD_WORKER: 'false', SWITCHYARD_RECONCILER: 'false', SWITCHYARD_SAMPLER: 'false', SWITCHYARD_BACKUP_SCHEDULER: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    server.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    const health = `http://127.0.0.1:${port}/api/health`;
    try {
      await until('the start-up banner', async () => output, (o) => o.includes('Switchyard is running'), 120_000);
      const [doomed, survivor] = await workersOf(server.pid!);
      expect(survivor).toBeDefined();
      // The owner role's URL and the first operator's password stay in the first process, away from the network.
      const primaryEnv = await environmentOf(server.pid!);
      expect(primaryEnv.get('DATABASE_URL')).toBe(inject('ownerDbUrl'));
      for (const pid of [doomed!, survivor!]) {
        const env = await environmentOf(pid);
        expect(env.get('DATABASE_APP_URL')).toBe(inject('appDbUrl'));
        expect([...env.keys()].filter((k) => k === 'DATABASE_URL' || k.startsWith('SWITCHYARD_BOOTSTRAP_'))).toEqual([]);
        expect([...env.values()].some((v) => v.includes(inject('operatorPassword')))).toBe(false);
      }

      process.kill(doomed!, 'SIGKILL');
      await until('the killed worker to be gone', () => workersOf(server.pid!), (pids) => !pids.includes(doomed!));
      expect(await Promise.all([1, 2, 3, 4].map(() => freshGet(health)))).toEqual([200, 200, 200, 200]);

      const [firstReplacement] = (await until('a replacement worker', () => workersOf(server.pid!), (pids) => pids.length === 2)).filter((pid) => pid !== survivor);
      expect(firstReplacement).not.toBe(doomed);
      // A replacement that dies soon after its start waits twice as long before the next one (a crash loop backs off).
      process.kill(firstReplacement!, 'SIGKILL');
      const replaced = await until('a second replacement', () => workersOf(server.pid!), (pids) => pids.length === 2 && !pids.includes(firstReplacement!));
      expect(replaced).toContain(survivor);
      expect(restartDelays(output)).toEqual([1_000, 2_000]);
      // The replacement serves too: every fresh connection is answered, whichever worker takes it.
      await until('both workers answering', () => Promise.all([1, 2, 3, 4, 5, 6].map(() => freshGet(health))), (s) => s.every((x) => x === 200));

      server.kill('SIGTERM');
      expect(await exited, output).toBe(0);
      for (const pid of replaced) expect(existsSync(`/proc/${pid}`), `worker ${pid} outlived the server`).toBe(false);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
