// dockerd restarted while a provision waits for its gateway to turn healthy. The job cannot finish: the engine is
// gone under it, so it fails and leaves what it made (no rollback against a vanishing engine). The restarted engine starts the
// gateway again (restart policy unless-stopped); the reconciler, watching and sweeping, takes the interrupted
// environment back, reconnects to the event stream, and settles it as running once it is healthy. Nothing is
// orphaned. Restarting the engine disturbs every other Docker suite: this runs alone (project `disruptive`).
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { productReconciler } from '@/server/jobs/reconcile';
import type { Worker } from '@/server/jobs/worker';
import type { Reconciler, SweepReport, WatchChange } from '@/server/reconciler';
import { DockerRuntime } from '@/server/runtime';
import { appDb, makeTenant } from '../helpers/db';
import { statusPing, waitFor, waitForState } from '../docker/helpers/gateway-http';
import { leftovers, removeLabelled } from '../docker/helpers/labelled';
import { SIM_IMAGE, SIM_VERSION } from '../docker/helpers/runtime-fixture';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { ensureDockerd, restartDockerd, type RestartTimings } from './helpers/dockerd';

const PORT_LOW = 48_000 + Math.floor(Math.random() * 200) * 5;
const RECONCILE_SECONDS = 3;
const engine = new Docker();
const reports: SweepReport[] = [];
const changes: (WatchChange & { at: number })[] = [];
let dataDir: string | undefined;
let worker: Worker | undefined;
let reconciler: Reconciler | undefined;
let t: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };
let tenantLabel: string;

const environment = () => t.ownerCaller.environments.get(ref);
async function containerIds(): Promise<string[]> {
  return (await engine.listContainers({ all: true, filters: { label: [tenantLabel] } })).map((container) => container.Id);
}

beforeAll(async () => {
  await ensureDockerd();
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 4}` });
  t = await makeTenant('dockerd');
  tenantLabel = `io.switchyard.tenant=${t.tenant.slug}`;
  const siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  ref = { tenantId: t.tenant.id, siteId, environment: 'gw' };
  worker = await startTestWorker({ healthTimeoutMs: 60_000 });
  // Only this file's tenant: other suites' gateways in the same database are orphans here, never touched.
  reconciler = productReconciler({
    db: appDb().db, runtime: new DockerRuntime(), intervalSeconds: RECONCILE_SECONDS, onlyTenants: [t.tenant.id],
    onReport: (report) => void reports.push(report),
    onWatch: (change) => void changes.push({ ...change, at: Date.now() }),
  });
  reconciler.watch();
});

afterAll(async () => {
  // The engine first: whatever happened, the machine keeps a running dockerd.
  try {
    await ensureDockerd();
  } finally {
    await reconciler?.stop();
    await worker?.stop();
    if (t) await removeLabelled(tenantLabel);
    if (dataDir) await removeDataDir(dataDir);
  }
});

it('converges after dockerd restarts mid-provision: the job fails, the reconciler settles the gateway as running', { timeout: 300_000 }, async () => {
  const created = await t.ownerCaller.environments.create({
    ...ref, name: 'gw', stage: 'dev',
    spec: {
      version: SIM_VERSION, image: SIM_IMAGE, acceptEula: true, memory: '1GiB',
      // Slow to become RUNNING, so the restart lands while the job waits for health.
      environment: { SIM_STARTUP_DELAY_MS: '4000' },
      healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '30s' },
    },
  });
  const baseUrl = `http://127.0.0.1:${created.environment.httpPort}`;
  await waitFor('the job to wait for health', async () => {
    const job = await t.ownerCaller.environments.job({ ...ref, number: 1 });
    return job.steps.some((step) => step.name === 'healthy' && step.status === 'running') ? job : undefined;
  }, 60_000);
  // What the job made: the gateway, its data volume and the site network. Afterwards exactly these remain.
  const made = await leftovers(tenantLabel);
  expect(made.containers).toHaveLength(1);
  expect(made.volumes).toHaveLength(1);
  expect(made.networks).toHaveLength(1);
  expect(await statusPing(baseUrl)).not.toBe('RUNNING');

  const restartedAt = Date.now();
  const restart: RestartTimings = await restartDockerd();

  // The job: the engine vanished under its health wait (the gateway's "exit" was the engine stopping it, which a ping on a
  // fresh connection tells apart), so it failed without rolling back and left the gateway for the restarted engine.
  const job = await finishedJob(t.ownerCaller, ref, 1, 60_000);
  const jobEndedMs = new Date(job.finishedAt!).getTime() - restartedAt;
  expect(job.status).toBe('failed');
  expect(job.error).toContain('runtime unavailable: ');
  const steps = job.steps.map((step) => `${step.name}:${step.status}`);
  expect(steps.at(-1)).toBe('healthy:failed');
  expect(steps.filter((step) => step.startsWith('rollback'))).toEqual([]);
  expect(job.steps.at(-1)!.detail).toContain('runtime unavailable: ');

  // The reconciler settles it: running, healthy, the job's error cleared.
  const settled = await waitFor('the environment to be settled as running', async () => {
    const now = await environment();
    return now.status === 'running' ? now : undefined;
  }, 90_000);
  const convergedMs = Date.now() - restartedAt;
  expect(settled.lastError).toBeNull();
  expect(await waitForState(baseUrl, 'RUNNING', 10_000)).toBe('RUNNING');
  expect(await containerIds()).toHaveLength(1);

  // It lost the event stream with the engine and opened it again.
  const reconnected = await waitFor('the event stream to reconnect after the restart', async () => {
    const since = changes.filter((change) => change.at >= restartedAt);
    const lost = since.findIndex((change) => change.state === 'disconnected');
    return lost >= 0 ? since.slice(lost).find((change) => change.state === 'connected') : undefined;
  }, 30_000);
  const reconnectedMs = reconnected.at - restartedAt;

  // Through that stream it notices a container removed by hand (an event's re-check), and the gateway comes back.
  const [before] = await containerIds();
  const removedAt = Date.now();
  await engine.getContainer(before!).remove({ force: true });
  await waitFor('an event re-check of the environment', async () => reports.find((report) => report.trigger === 'event'
    && report.startedAt.getTime() >= removedAt && report.environments.some((entry) => entry.environmentId === settled.id)), 20_000);
  const [after] = await waitFor('the re-created container', async () => {
    const ids = await containerIds();
    return ids.length === 1 && ids[0] !== before ? ids : undefined;
  }, 30_000);
  expect(after).not.toBe(before);
  expect(await waitForState(baseUrl, 'RUNNING', 30_000)).toBe('RUNNING');
  expect(await environment()).toMatchObject({ status: 'running' });

  // Nothing orphaned: exactly what the job made, and a sweep finds nothing of this tenant's without an owner.
  expect(await leftovers(tenantLabel)).toEqual(made);
  // StatusPing answers RUNNING a moment before the engine's own health check says healthy: sweep until it has.
  const sweep = await waitFor('a sweep finding the environment ready', async () => {
    const report = await reconciler!.sweep();
    return report.environments.some((entry) => entry.environmentId === settled.id && entry.ready) ? report : undefined;
  }, 15_000);
  expect(sweep.error).toBeUndefined();
  expect(sweep.orphans.filter((orphan) => orphan.owner['io.switchyard.tenant'] === t.tenant.slug)).toEqual([]);
  expect(sweep.environments.find((entry) => entry.environmentId === settled.id)).toMatchObject({ drift: [], actions: [], ready: true });

  const tearing = await t.ownerCaller.environments.delete({ ...ref, confirm: 'gw' });
  expect(await finishedJob(t.ownerCaller, ref, tearing.latestJob!.number)).toMatchObject({ status: 'succeeded' });
  expect(await leftovers(tenantLabel)).toEqual({ containers: [], volumes: [], networks: [] });
  console.log(`dockerd restart timings (ms after SIGTERM): ${JSON.stringify({ ...restart, jobEndedMs, reconnectedMs, convergedMs })}`);
});
