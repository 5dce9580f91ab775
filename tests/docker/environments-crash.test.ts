// The worker process killed half-way through a provision: the job's heartbeat stops, a new worker hands the job
// back to the queue and runs its (idempotent) steps again, and the gateway ends up healthy with one container.
import { spawn, type ChildProcess } from 'node:child_process';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { startQueue } from '@/server/jobs/queue';
import { makeTenant } from '../helpers/db';
import { finishedJob, isolateEnvironmentConfig, removeDataDir } from '../integration/environments-fixture';
import { statusPing, waitFor } from './helpers/gateway-http';
import { removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION } from './helpers/runtime-fixture';

const PORT_LOW = 44_000 + Math.floor(Math.random() * 200) * 5;
const children: ChildProcess[] = [];
let dataDir: string;
let t: Awaited<ReturnType<typeof makeTenant>>;
let siteId: string;
let stderr = '';

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/jobs/worker-main.ts'], {
    env: { ...process.env, DATABASE_URL: inject('ownerDbUrl'), DATABASE_APP_URL: inject('appDbUrl'), SWITCHYARD_HEALTH_TIMEOUT_MS: '60000', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  children.push(child);
  return child;
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 4}`, SWITCHYARD_JOB_STALE_SECONDS: '3' });
  // Installed here, so a request never races the first worker's start-up.
  await (await startQueue(inject('ownerDbUrl'))).stop({ graceful: false, wait: true });
  t = await makeTenant('envcrash');
  siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
});

afterAll(async () => {
  for (const child of children) await kill(child, 'SIGKILL');
  await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  await removeDataDir(dataDir);
});

it('resumes a provision whose worker was killed while waiting for health, and finishes it', async () => {
  const ref = { tenantId: t.tenant.id, siteId, environment: 'gw' };
  const first = startWorkerProcess();
  const created = await t.ownerCaller.environments.create({
    tenantId: t.tenant.id, siteId, name: 'gw', stage: 'dev',
    spec: {
      version: SIM_VERSION, image: SIM_IMAGE, acceptEula: true, memory: '1GiB',
      // Slow to become RUNNING, so the kill lands while the job waits for health.
      environment: { SIM_API_TOKEN: 'crash-token-77', SIM_STARTUP_DELAY_MS: '6000' },
      healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '30s' },
    },
  });
  await waitFor('the job to wait for health', async () => {
    const job = await t.ownerCaller.environments.job({ ...ref, number: 1 });
    return job.steps.some((s) => s.name === 'healthy' && s.status === 'running') ? job : undefined;
  }, 60_000);
  await kill(first, 'SIGKILL');
  expect(await t.ownerCaller.environments.job({ ...ref, number: 1 })).toMatchObject({ status: 'running' });

  startWorkerProcess();
  const job = await finishedJob(t.ownerCaller, ref, 1, 90_000).catch((err: Error) => { throw new Error(`${err.message}\nworker stderr:\n${stderr}`); });
  expect(job).toMatchObject({ status: 'succeeded', error: null });
  const names = job.steps.map((s) => `${s.name}:${s.status}`);
  expect(names).toContain('resume:done');
  expect(names.slice(0, names.indexOf('resume:done')).at(-1)).toBe('healthy:failed');
  expect(job.steps.find((s) => s.name === 'healthy' && s.status === 'failed')!.detail).toContain('interrupted');
  // The second run found everything the first one created (the gateway may have turned healthy meanwhile).
  const second = names.slice(names.indexOf('resume:done') + 1);
  expect(second.slice(0, 6)).toEqual(['network:skipped', 'volumes:skipped', 'secrets:skipped', 'image:skipped', 'create:skipped', 'start:skipped']);
  expect(second[6]).toMatch(/^healthy:(done|skipped)$/);
  expect(await t.ownerCaller.environments.get(ref)).toMatchObject({ status: 'running' });
  expect(await statusPing(`http://127.0.0.1:${created.environment.httpPort}`)).toBe('RUNNING');
  const containers = await new Docker().listContainers({ all: true, filters: { label: [`io.switchyard.tenant=${t.tenant.slug}`] } });
  expect(containers).toHaveLength(1);

  const tearing = await t.ownerCaller.environments.delete({ ...ref, confirm: 'gw' });
  expect(await finishedJob(t.ownerCaller, ref, tearing.latestJob!.number)).toMatchObject({ status: 'succeeded' });
});
