// The product's reconciler (server/jobs/reconcile.ts) against the test database and the real engine: an environment
// provisioned by the job worker loses its container by hand; the reconciler reports the drift in last_error and the
// metrics, re-creates the container, and clears its text once nothing differs. A job working on the environment
// keeps the reconciler's hands off; engine events alone bring a removed container back while watching.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { productReconciler } from '@/server/jobs/reconcile';
import type { Worker } from '@/server/jobs/worker';
import { metricsText } from '@/server/metrics';
import type { Reconciler } from '@/server/reconciler';
import { DockerRuntime } from '@/server/runtime';
import { appDb, makeTenant } from '../helpers/db';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { waitFor, waitForState } from './helpers/gateway-http';
import { removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION } from './helpers/runtime-fixture';

const PORT_LOW = 46_000 + Math.floor(Math.random() * 200) * 10;
const spec = {
  version: SIM_VERSION, image: SIM_IMAGE, acceptEula: true, memory: '1GiB',
  environment: { SIM_STARTUP_DELAY_MS: '100' },
  healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '0s' },
};

const engine = new Docker();
let dataDir: string;
let worker: Worker;
let reconciler: Reconciler;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };
let environmentId: string;
let baseUrl: string;

const environment = () => tenant.ownerCaller.environments.get(ref);
const gaugeValue = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await metricsText()).body)?.[1]);

async function containerIds(): Promise<string[]> {
  const found = await engine.listContainers({ all: true, filters: { label: [`io.switchyard.tenant=${tenant.tenant.slug}`, 'io.switchyard.environment=gw'] } });
  return found.map((container) => container.Id);
}

async function removeByHand(): Promise<void> {
  const [id] = await containerIds();
  if (!id) throw new Error('the environment has no container to remove');
  await engine.getContainer(id).remove({ force: true });
}

async function sweepOfEnvironment() {
  const report = await reconciler.sweep();
  expect(report.error).toBeUndefined();
  const found = report.environments.find((entry) => entry.environmentId === environmentId);
  if (!found) throw new Error(`the sweep did not compare environment ${environmentId}: ${JSON.stringify(report.counts)}`);
  return found;
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  tenant = await makeTenant('recprod');
  const siteId = (await tenant.ownerCaller.sites.create({ tenantId: tenant.tenant.id, slug: 'plant', name: 'Plant' })).id;
  ref = { tenantId: tenant.tenant.id, siteId, environment: 'gw' };
  const created = await tenant.ownerCaller.environments.create({ ...ref, name: 'gw', stage: 'dev', spec });
  environmentId = created.environment.id;
  baseUrl = `http://127.0.0.1:${created.environment.httpPort}`;
  expect(await finishedJob(tenant.ownerCaller, ref, 1)).toMatchObject({ status: 'succeeded' });
  // Only this file's tenant: other suites' gateways in the same database and engine are orphans here, never touched.
  reconciler = productReconciler({ db: appDb().db, runtime: new DockerRuntime(), intervalSeconds: 3600, onlyTenants: [tenant.tenant.id] });
});

afterAll(async () => {
  await reconciler?.stop();
  await worker?.stop();
  if (tenant) await removeLabelled(`io.switchyard.tenant=${tenant.tenant.slug}`);
  if (dataDir) await removeDataDir(dataDir);
});

describe('the product reconciler', () => {
  it('finds nothing to say about a healthy environment', async () => {
    const report = await sweepOfEnvironment();
    expect(report).toMatchObject({ policy: 'repair', desiredState: 'running', drift: [], actions: [] });
    expect(await environment()).toMatchObject({ status: 'running', lastError: null });
    expect(await gaugeValue('switchyard_reconciler_drift')).toBe(0);
  });

  it('detects a container removed by hand as drift, records it, re-creates it, and clears its text once repaired', async () => {
    await removeByHand();
    const report = await sweepOfEnvironment();
    expect(report.drift.map((entry) => entry.kind)).toEqual(['missing']);
    expect(report.actions).toMatchObject([{ kind: 'provision', outcome: 'done' }]);
    const drifted = await environment();
    expect(drifted.status).toBe('running');
    expect(drifted.lastError).toMatch(/^drift: sy-\S+ is not on the engine, desired running; repair: re-provisioned sy-\S+$/);
    expect(await gaugeValue('switchyard_reconciler_drift')).toBe(1);
    expect(await gaugeValue('switchyard_reconciler_drifted_environments')).toBe(1);
    expect((await metricsText()).body).toMatch(/^switchyard_reconciler_repairs_total\{outcome="done"\} [1-9]/m);

    // The re-created gateway starts with the secrets its provision left: it reaches RUNNING.
    await waitForState(baseUrl, 'RUNNING', 30_000);
    expect(await sweepOfEnvironment()).toMatchObject({ drift: [], actions: [] });
    expect(await environment()).toMatchObject({ status: 'running', lastError: null });
    expect(await gaugeValue('switchyard_reconciler_drift')).toBe(0);
  });

  it('reports drift of an environment a job is working on without repairing it or writing its row', async () => {
    await worker.stop();
    await removeByHand();
    // Queued, and nobody takes it while the worker is stopped: the job owns the environment.
    await tenant.ownerCaller.environments.start(ref);
    const queued = await environment();
    const report = await sweepOfEnvironment();
    expect(report.policy).toBe('report');
    expect(report.drift.map((entry) => entry.kind)).toEqual(['missing']);
    expect(report.actions).toEqual([]);
    expect(await containerIds()).toEqual([]);
    expect(await environment()).toMatchObject({ status: queued.status, lastError: queued.lastError });

    // The job, once a worker runs it, re-creates the gateway; then nothing differs.
    worker = await startTestWorker({ healthTimeoutMs: 30_000 });
    expect(await finishedJob(tenant.ownerCaller, ref, 2)).toMatchObject({ kind: 'start', status: 'succeeded' });
    expect(await sweepOfEnvironment()).toMatchObject({ policy: 'repair', drift: [] });
  });

  it('while watching, an engine event alone brings a removed container back', async () => {
    // A reconciler of its own: the one above re-created this gateway seconds ago, so its repair backoff would wait.
    await reconciler.stop();
    reconciler = productReconciler({ db: appDb().db, runtime: new DockerRuntime(), intervalSeconds: 3600, onlyTenants: [tenant.tenant.id] });
    const lastSweep = () => gaugeValue('switchyard_reconciler_last_sweep_timestamp_seconds');
    const sweptBefore = await lastSweep();
    reconciler.watch();
    // Connecting is followed by a full sweep (nothing differs); only then is the container removed, so the
    // removal's event, not that sweep, makes the re-check (the periodic sweep is an hour away).
    await waitFor('the sweep after connecting', async () => ((await lastSweep()) > sweptBefore ? true : undefined));
    const [before] = await containerIds();
    await removeByHand();
    const [after] = await waitFor('the re-created container', async () => {
      const ids = await containerIds();
      return ids.length === 1 && ids[0] !== before ? ids : undefined;
    }, 20_000);
    expect(after).not.toBe(before);
  });
});
