// Module deploys on the real engine with the simulator image: a .modl version placed in the environment's folder,
// mounted into user-lib/modules and accepted (ACCEPT_MODULE_*), the gateway re-created with its data and listing the
// module healthy; kept by a restart, a change and the reconciler; replaced by a newer version; reverted when the
// gateway does not confirm it; refused up front when built for another line, for another tenant, or without a token.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { buildModule, buildProjectExport } from '@/lib/artifacts/fixtures';
import { productReconciler } from '@/server/jobs/reconcile';
import type { Worker } from '@/server/jobs/worker';
import type { Reconciler } from '@/server/reconciler';
import { DockerRuntime } from '@/server/runtime';
import { appDb, makeTenant } from '../helpers/db';
import { deployAndWait as deployAndWaitFor, finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { refusal } from '../integration/support/refusal';
import { gatewayApi } from './helpers/gateway-http';
import { removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION, fastSimulatorSpec } from './helpers/runtime-fixture';

const TOKEN = 'module-deploy-token-4e1';
const PORT_LOW = 39_000 + Math.floor(Math.random() * 200) * 10;
const WIDGETS = 'com.example.widgets';
const MODULES_DIR = '/usr/local/bin/ignition/user-lib/modules';
const spec = fastSimulatorSpec({ token: TOKEN, startupDelayMs: 300 });

const engine = new Docker();
let dataDir: string;
let worker: Worker;
let reconciler: Reconciler;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let plant: string;
let environmentId: string;
let baseUrl: string;
let api: ReturnType<typeof gatewayApi>;
let firstVersionId: string;

const at = (environment = 'gw') => ({ tenantId: a.tenant.id, siteId: plant, environment });
const folder = () => path.join(dataDir, 'environments', a.tenant.id, environmentId);
const manifestText = () => readFile(path.join(folder(), 'modules', 'deployed.json'), 'utf8');
const jobCount = async () => (await a.ownerCaller.environments.jobs(at())).length;
const upload = (name: string, data: Buffer) =>
  a.ownerCaller.artifacts.upload({ tenantId: a.tenant.id, name, kind: 'module', body: Readable.from([data]) });
const healthyModules = async (gateway = api) => (await gateway.json<{ items: { id: string; version: string; state: string }[] }>('modules/healthy')).items;

const deployAndWait = (versionId: string, projectName?: string) => deployAndWaitFor(a.ownerCaller, at(), versionId, projectName);

async function gatewayContainer() {
  const [found] = await engine.listContainers({ filters: { label: [`io.switchyard.tenant=${a.tenant.slug}`, 'io.switchyard.environment=gw'] } });
  if (!found) throw new Error('the environment has no running container');
  return engine.getContainer(found.Id).inspect();
}

async function sweepOfEnvironment() {
  const report = await reconciler.sweep();
  expect(report.error).toBeUndefined();
  return report.environments.find((entry) => entry.environmentId === environmentId)!;
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  [a, b] = await Promise.all([makeTenant('moda'), makeTenant('modb')]);
  plant = (await a.ownerCaller.sites.create({ tenantId: a.tenant.id, slug: 'plant', name: 'Plant' })).id;
  const created = await a.ownerCaller.environments.create({ ...at(), name: 'gw', stage: 'dev', spec, apiToken: TOKEN });
  environmentId = created.environment.id;
  expect(await finishedJob(a.ownerCaller, at(), 1)).toMatchObject({ kind: 'provision', status: 'succeeded' });
  baseUrl = `http://127.0.0.1:${created.environment.httpPort}`;
  api = gatewayApi(baseUrl, TOKEN);
  reconciler = productReconciler({ db: appDb().db, runtime: new DockerRuntime(), intervalSeconds: 3600, onlyTenants: [a.tenant.id] });
});

afterAll(async () => {
  await reconciler?.stop();
  await worker?.stop();
  for (const t of [a, b]) if (t) await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  if (dataDir) await removeDataDir(dataDir);
});

describe('deploying a module version', () => {
  it('places it in the modules folder, accepts it, re-creates the gateway with its data, and the gateway lists it healthy', async () => {
    const hmi = await a.ownerCaller.artifacts.upload({ tenantId: a.tenant.id, name: 'hmi', kind: 'project', body: Readable.from([await buildProjectExport({ title: 'HMI' })]) });
    expect((await deployAndWait(hmi.version.id)).job.status).toBe('succeeded');
    const before = await gatewayContainer();
    expect(await healthyModules()).toEqual([]);

    const up = await upload('widgets', await buildModule({ id: WIDGETS, name: 'Widgets', version: '1.0.0', requiredIgnitionVersion: '8.3.0', signed: true }));
    firstVersionId = up.version.id;
    const { job, deployment } = await deployAndWait(firstVersionId);
    expect(job).toMatchObject({ kind: 'deploy', status: 'succeeded', error: null });
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      // The runtime's own steps, as a change runs them: only the container differs.
      'download:done', 'accept:done', 'network:skipped', 'volumes:skipped', 'secrets:skipped', 'image:skipped', 'create:done', 'start:done', 'healthy:done',
      'module healthy:done', 'clean up:done', 'record:done',
    ]);
    const step = (name: string) => job.steps.find((s) => s.name === name)!.detail;
    expect(step('download')).toMatch(/^wrote com\.example\.widgets\.modl \(.+\), module "Widgets" 1\.0\.0, version 1 of "widgets"$/);
    expect(step('accept')).toBe(`mounted as user-lib/modules/${WIDGETS}.modl; "${WIDGETS}" in ACCEPT_MODULE_LICENSES and ACCEPT_MODULE_CERTS`);
    expect(step('create')).toMatch(/^re-created sy-\S+ \(.*mounts.*\)$/);
    expect(step('module healthy')).toBe('the gateway lists module "Widgets" 1.0.0 as healthy');
    expect(deployment).toMatchObject({ status: 'succeeded', artifactName: 'widgets', versionNumber: 1 });
    expect(await a.ownerCaller.environments.get(at())).toMatchObject({ status: 'running', lastError: null });

    expect(await healthyModules()).toEqual([expect.objectContaining({ id: WIDGETS, version: '1.0.0', state: 'healthy', file: `${WIDGETS}.modl` })]);
    // Re-created, with the data volume kept: the project imported before is still there.
    const after = await gatewayContainer();
    expect(after.Id).not.toBe(before.Id);
    expect((await api.json<{ items: { name: string }[] }>('projects/list')).items.map((p) => p.name)).toContain('hmi');
    expect(after.Config.Env).toEqual(expect.arrayContaining([`ACCEPT_MODULE_LICENSES=${WIDGETS}`, `ACCEPT_MODULE_CERTS=${WIDGETS}`]));
    const mount = after.Mounts.find((m) => m.Destination === `${MODULES_DIR}/${WIDGETS}.modl`)!;
    expect(mount).toMatchObject({ Type: 'bind', RW: false, Source: path.join(folder(), 'modules', up.version.sha256.slice(0, 16), `${WIDGETS}.modl`) });
    const file = await stat(mount.Source);
    expect({ mode: file.mode & 0o777, uid: file.uid, gid: file.gid }).toEqual({ mode: 0o644, uid: 2003, gid: 2003 });
    const dir = await stat(path.dirname(mount.Source));
    expect({ mode: dir.mode & 0o777, uid: dir.uid }).toEqual({ mode: 0o755, uid: 2003 });

    const audit = await a.ownerCaller.audit.list({ tenantId: a.tenant.id, action: 'artifact.deploy' });
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ resourceId: firstVersionId, changes: expect.objectContaining({ moduleId: WIDGETS, kind: 'module' }) })]));
    expect((await a.ownerCaller.deployments.deployable({ tenantId: a.tenant.id, siteId: plant })).map((d) => `${d.kind}:${d.name}`)).toContain('module:widgets');
  });

  it('is part of the desired state: the reconciler sees no drift, the Compose file mounts it, a restart and a change keep it', async () => {
    expect(await sweepOfEnvironment()).toMatchObject({ policy: 'repair', drift: [], actions: [] });
    const compose = await a.ownerCaller.environments.compose(at());
    expect(compose.yaml).toContain(`${MODULES_DIR}/${WIDGETS}.modl`);
    expect(compose.yaml).toContain(`ACCEPT_MODULE_LICENSES: "${WIDGETS}"`);

    const restarting = await a.ownerCaller.environments.restart(at());
    expect(await finishedJob(a.ownerCaller, at(), restarting.latestJob!.number)).toMatchObject({ kind: 'restart', status: 'succeeded' });
    expect(await healthyModules()).toEqual([expect.objectContaining({ id: WIDGETS, version: '1.0.0' })]);

    const before = await gatewayContainer();
    const changing = await a.ownerCaller.environments.update({ ...at(), spec: { ...spec, environment: { ...spec.environment, SIM_STARTUP_DELAY_MS: '200' } } });
    expect(await finishedJob(a.ownerCaller, at(), changing.latestJob!.number)).toMatchObject({ kind: 'change', status: 'succeeded' });
    expect((await gatewayContainer()).Id).not.toBe(before.Id);
    expect(await healthyModules()).toEqual([expect.objectContaining({ id: WIDGETS, version: '1.0.0', state: 'healthy' })]);
    expect(await sweepOfEnvironment()).toMatchObject({ drift: [], actions: [] });
  });

  it('a newer version of the same module replaces it; another module is accepted beside it', async () => {
    const v2 = await upload('widgets', await buildModule({ id: WIDGETS, name: 'Widgets', version: '2.0.0', requiredIgnitionVersion: '8.3.0' }));
    expect(v2.version.number).toBe(2);
    const { job } = await deployAndWait(v2.version.id);
    expect(job.status).toBe('succeeded');
    expect(job.steps.find((s) => s.name === 'accept')!.detail).toMatch(/^replaces version 1 of "widgets" \(module 1\.0\.0\); mounted as/);
    expect(job.steps.find((s) => s.name === 'clean up')!.detail).toBe('removed 1 replaced or unused module folder(s)');
    expect(await healthyModules()).toEqual([expect.objectContaining({ id: WIDGETS, version: '2.0.0' })]);
    expect((await readdir(path.join(folder(), 'modules'))).sort()).toEqual([v2.version.sha256.slice(0, 16), 'deployed.json'].sort());

    const gauges = await upload('gauges', await buildModule({ id: 'com.example.gauges', name: 'Gauges', version: '0.9.0', requiredIgnitionVersion: '8.3.2' }));
    expect((await deployAndWait(gauges.version.id)).job.status).toBe('succeeded');
    expect((await healthyModules()).map((m) => `${m.id}@${m.version}`).sort()).toEqual([`com.example.gauges@0.9.0`, `${WIDGETS}@2.0.0`]);
    expect((await gatewayContainer()).Config.Env).toContain(`ACCEPT_MODULE_LICENSES=${WIDGETS},com.example.gauges`);
    expect(JSON.parse(await manifestText()).modules.map((m: { id: string; versionNumber: number; previous: unknown }) => [m.id, m.versionNumber, m.previous]))
      .toEqual([[WIDGETS, 2, null], ['com.example.gauges', 1, null]]);
  });

  it('a deploy the gateway does not confirm fails in words and puts the previous modules back', async () => {
    // The gateway's API token changes behind the stored one: the module check after the re-create is refused.
    const changing = await a.ownerCaller.environments.update({ ...at(), spec: { ...spec, environment: { ...spec.environment, SIM_API_TOKEN: 'rotated-elsewhere' } } });
    expect(await finishedJob(a.ownerCaller, at(), changing.latestJob!.number)).toMatchObject({ status: 'succeeded' });
    const manifest = await manifestText();
    const v3 = await upload('widgets', await buildModule({ id: WIDGETS, name: 'Widgets', version: '3.0.0', requiredIgnitionVersion: '8.3.0' }));
    const { job, deployment } = await deployAndWait(v3.version.id);
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/^the gateway refused the list of healthy modules \(HTTP 401\)/) });
    expect(job.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['module healthy', 'revert']));
    expect(job.steps.find((s) => s.name === 'revert')!.detail).toBe('module list put back (version 2 of "widgets")');
    expect(deployment).toMatchObject({ status: 'failed', error: job.error });
    expect(await a.ownerCaller.environments.get(at())).toMatchObject({ status: 'running', lastError: job.error });
    expect(await manifestText()).toBe(manifest);
    expect((await healthyModules(gatewayApi(baseUrl, 'rotated-elsewhere'))).map((m) => `${m.id}@${m.version}`).sort()).toEqual([`com.example.gauges@0.9.0`, `${WIDGETS}@2.0.0`]);
    expect(await readdir(path.join(folder(), 'modules'))).not.toContain(v3.version.sha256.slice(0, 16));

    const back = await a.ownerCaller.environments.update({ ...at(), spec });
    expect(await finishedJob(a.ownerCaller, at(), back.latestJob!.number)).toMatchObject({ status: 'succeeded' });
    expect(await sweepOfEnvironment()).toMatchObject({ drift: [] });
  });
});

describe('module deploys refused up front', () => {
  it('a module built for 8.1, or requiring a newer gateway, is refused in words with nothing changed', async () => {
    const jobs = await jobCount();
    const deployments = (await a.ownerCaller.deployments.list(at())).length;
    const manifest = await manifestText();
    const container = (await gatewayContainer()).Id;
    const old = await upload('widgets-81', await buildModule({ id: WIDGETS, version: '1.0.0', requiredIgnitionVersion: '8.1.0' }));
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: old.version.id }))).toMatchObject({
      code: 'BAD_REQUEST', fieldErrors: { versionId: [expect.stringMatching(/is built for Ignition 8\.1 \(requiredIgnitionVersion 8\.1\.0\); Ignition 8\.3\.4 refuses modules built for older lines\. Upload the vendor's 8\.3 build/)] },
    });
    const newer = await upload('widgets-next', await buildModule({ id: WIDGETS, version: '9.0.0', requiredIgnitionVersion: '8.3.9' }));
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: newer.version.id }))).toMatchObject({
      code: 'BAD_REQUEST', message: expect.stringContaining('requires Ignition 8.3.9; environment "gw" runs 8.3.4. Upgrade the gateway'),
    });
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: firstVersionId, projectName: 'widgets' }))).toMatchObject({
      code: 'BAD_REQUEST', fieldErrors: { projectName: [expect.stringContaining("a module is placed in the gateway's modules folder")] },
    });
    expect(await jobCount()).toBe(jobs);
    expect((await a.ownerCaller.deployments.list(at())).length).toBe(deployments);
    expect(await manifestText()).toBe(manifest);
    expect((await gatewayContainer()).Id).toBe(container);
  });

  it("another tenant's module version answers NOT_FOUND, as a made-up id does", async () => {
    const site = await b.ownerCaller.sites.create({ tenantId: b.tenant.id, slug: 'plant', name: 'Plant' });
    const ref = { tenantId: b.tenant.id, siteId: site.id, environment: 'gw' };
    const foreign = await refusal(b.ownerCaller.deployments.deploy({ ...ref, versionId: firstVersionId }));
    expect(foreign).toEqual(await refusal(b.ownerCaller.deployments.deploy({ ...ref, versionId: crypto.randomUUID() })));
    expect(foreign.code).toBe('NOT_FOUND');
  });

  it('a gateway without an API token is refused before anything is queued', async () => {
    await a.ownerCaller.environments.create({ ...at('notoken'), name: 'notoken', stage: 'dev', spec });
    expect(await finishedJob(a.ownerCaller, at('notoken'), 1)).toMatchObject({ status: 'succeeded' });
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at('notoken'), versionId: firstVersionId })))
      .toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('has no gateway API token') });
    expect(await a.ownerCaller.environments.jobs(at('notoken'))).toHaveLength(1);
  });
});

describe('teardown', () => {
  it("removes the environment's module files with its folder", async () => {
    const tearing = await a.ownerCaller.environments.delete({ ...at(), confirm: 'gw' });
    expect(await finishedJob(a.ownerCaller, at(), tearing.latestJob!.number)).toMatchObject({ kind: 'teardown', status: 'succeeded' });
    await expect(stat(folder())).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
