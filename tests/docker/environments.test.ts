// Environments end to end on the real engine with the simulator image: the API queues jobs, the worker runs them
// through the Docker runtime. Provision -> healthy -> restart -> stop/start -> change memory (data survives) ->
// back up (into the artifact store) -> tear down, with nothing labelled for the environment left behind; two tenants share no network.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import type { Worker } from '@/server/jobs/worker';
import { makeTenant } from '../helpers/db';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { gatewayApi, statusPing } from './helpers/gateway-http';
import { leftovers, removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION, fastSimulatorSpec } from './helpers/runtime-fixture';
import { makeZip } from './helpers/zip-files';

const TOKEN = 'env-e2e-api-token-4f1';
const PORT_LOW = 42_000 + Math.floor(Math.random() * 200) * 10;
const spec = (memory = '1GiB') => fastSimulatorSpec({ token: TOKEN, memory });

const engine = new Docker();
let dataDir: string;
let worker: Worker;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let aSite: string;
let bSite: string;
const slugs: string[] = [];

const atA = () => ({ tenantId: a.tenant.id, siteId: aSite, environment: 'gw' });
const atB = () => ({ tenantId: b.tenant.id, siteId: bSite, environment: 'gw' });
const baseUrl = (port: number | null) => `http://127.0.0.1:${port}`;

async function container(tenantSlug: string) {
  const [found] = await engine.listContainers({ all: true, filters: { label: [`io.switchyard.tenant=${tenantSlug}`, 'io.switchyard.environment=gw'] } });
  if (!found) throw new Error(`no container for ${tenantSlug}`);
  return engine.getContainer(found.Id).inspect();
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  [a, b] = await Promise.all([makeTenant('enva'), makeTenant('envb')]);
  slugs.push(a.tenant.slug, b.tenant.slug);
  aSite = (await a.ownerCaller.sites.create({ tenantId: a.tenant.id, slug: 'plant', name: 'Plant' })).id;
  bSite = (await b.ownerCaller.sites.create({ tenantId: b.tenant.id, slug: 'plant', name: 'Plant' })).id;
});

afterAll(async () => {
  await worker?.stop();
  for (const slug of slugs) await removeLabelled(`io.switchyard.tenant=${slug}`);
  await removeDataDir(dataDir);
});

describe('an environment on the real engine', () => {
  let port: number | null = null;

  it('provisions to a healthy gateway, each step recorded on the job', async () => {
    const created = await a.ownerCaller.environments.create({ ...atA(), name: 'gw', stage: 'dev', spec: spec(), apiToken: TOKEN });
    port = created.environment.httpPort;
    const job = await finishedJob(a.ownerCaller, atA(), 1);
    expect(job).toMatchObject({ kind: 'provision', status: 'succeeded', error: null });
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['network:done', 'volumes:done', 'secrets:done', 'image:skipped', 'create:done', 'start:done', 'healthy:done']);
    expect(job.steps.every((s) => s.finishedAt !== null)).toBe(true);
    expect(await a.ownerCaller.environments.get(atA())).toMatchObject({ status: 'running', lastError: null });
    // RUNNING needs the admin password: the sealed one reached the gateway as its secret file.
    expect(await statusPing(baseUrl(port))).toBe('RUNNING');
    const inspected = await container(a.tenant.slug);
    expect(inspected.State.Health?.Status).toBe('healthy');
    expect(inspected.HostConfig.Memory).toBe(1024 ** 3);
  });

  it('restarts, stops and starts as jobs', async () => {
    const before = (await container(a.tenant.slug)).State.StartedAt;
    const restarting = await a.ownerCaller.environments.restart(atA());
    expect(restarting.status).toBe('restarting');
    expect(await finishedJob(a.ownerCaller, atA(), 2)).toMatchObject({ kind: 'restart', status: 'succeeded' });
    expect((await container(a.tenant.slug)).State.StartedAt).not.toBe(before);

    await a.ownerCaller.environments.stop(atA());
    expect(await finishedJob(a.ownerCaller, atA(), 3)).toMatchObject({ kind: 'stop', status: 'succeeded' });
    expect(await a.ownerCaller.environments.get(atA())).toMatchObject({ status: 'stopped', desiredState: 'stopped' });
    expect((await container(a.tenant.slug)).State.Running).toBe(false);

    await a.ownerCaller.environments.start(atA());
    expect(await finishedJob(a.ownerCaller, atA(), 4)).toMatchObject({ kind: 'start', status: 'succeeded' });
    expect(await a.ownerCaller.environments.get(atA())).toMatchObject({ status: 'running', desiredState: 'running' });
  });

  it('changes the memory by re-creating the container; the data volume keeps a project', async () => {
    const api = gatewayApi(baseUrl(port), TOKEN);
    const project = await makeZip({ 'project.json': JSON.stringify({ title: 'Kept' }), 'ignition/script-python/a/code.py': 'x = 1\n' });
    expect((await api.post('projects/import/Kept', project)).status).toBe(200);
    const before = await container(a.tenant.slug);

    const changing = await a.ownerCaller.environments.update({ ...atA(), spec: spec('1536MiB') });
    expect(changing.status).toBe('changing');
    expect(await finishedJob(a.ownerCaller, atA(), 5)).toMatchObject({ kind: 'change', status: 'succeeded' });
    const after = await container(a.tenant.slug);
    expect(after.Id).not.toBe(before.Id);
    expect(after.HostConfig.Memory).toBe(1536 * 1024 ** 2);
    expect(((await api.json<{ items: { name: string }[] }>('projects/list')).items).map((p) => p.name)).toContain('Kept');
    expect(await a.ownerCaller.environments.get(atA())).toMatchObject({ status: 'running', spec: { memory: '1536MiB' } });
  });

  it("backs up into the environment's backup artifact in the store", async () => {
    await a.ownerCaller.environments.backup(atA());
    const job = await finishedJob(a.ownerCaller, atA(), 6);
    expect(job).toMatchObject({ kind: 'backup', status: 'succeeded' });
    const env = await a.ownerCaller.environments.get(atA());
    expect(env.status).toBe('running');
    const backups = await a.ownerCaller.artifacts.list({ tenantId: a.tenant.id, kind: 'backup' });
    expect(backups).toEqual([expect.objectContaining({ name: 'plant-gw-backups', siteId: aSite, versionCount: 1 })]);
    expect(backups[0]!.latestVersion).toMatchObject({ number: 1, filename: expect.stringMatching(/^gw-.*\.gwbk$/), metadata: { version: SIM_VERSION, projects: ['Kept'] } });
    expect(job.steps.at(-1)!.detail).toMatch(/^stored version 1 of "plant-gw-backups" \(/);
    // Nothing is written to the data dir any more.
    expect(existsSync(path.join(dataDir, 'backups'))).toBe(false);
  });

  it('a stopped gateway changed stays stopped, with the new size', async () => {
    await a.ownerCaller.environments.stop(atA());
    expect(await finishedJob(a.ownerCaller, atA(), 7)).toMatchObject({ kind: 'stop', status: 'succeeded' });
    await a.ownerCaller.environments.update({ ...atA(), spec: spec('1GiB') });
    const job = await finishedJob(a.ownerCaller, atA(), 8);
    expect(job).toMatchObject({ kind: 'change', status: 'succeeded' });
    expect(job.steps.map((s) => s.name).slice(-2)).toEqual(['healthy', 'stop']);
    expect(await a.ownerCaller.environments.get(atA())).toMatchObject({ status: 'stopped', desiredState: 'stopped' });
    const inspected = await container(a.tenant.slug);
    expect([inspected.State.Running, inspected.HostConfig.Memory]).toEqual([false, 1024 ** 3]);
  });

  it("shares no network with another tenant's environment", async () => {
    await b.ownerCaller.environments.create({ ...atB(), name: 'gw', stage: 'prod', spec: spec(), apiToken: TOKEN });
    expect(await finishedJob(b.ownerCaller, atB(), 1)).toMatchObject({ status: 'succeeded' });
    const networksOf = async (slug: string) => Object.keys((await container(slug)).NetworkSettings.Networks);
    const [aNets, bNets] = [await networksOf(a.tenant.slug), await networksOf(b.tenant.slug)];
    expect(aNets).toHaveLength(1);
    expect(bNets).toHaveLength(1);
    expect(aNets.filter((n) => bNets.includes(n))).toEqual([]);
  });

  it('tears down: nothing labelled for the environment remains, the site network goes too', async () => {
    for (const [caller, ref, slug] of [[a.ownerCaller, atA(), a.tenant.slug], [b.ownerCaller, atB(), b.tenant.slug]] as const) {
      const tearing = await caller.environments.delete({ ...ref, confirm: 'gw' });
      expect(await finishedJob(caller, ref, tearing.latestJob!.number)).toMatchObject({ kind: 'teardown', status: 'succeeded' });
      expect(await caller.environments.get(ref)).toMatchObject({ status: 'removed', httpPort: null });
      expect(await leftovers(`io.switchyard.tenant=${slug}`)).toEqual({ containers: [], volumes: [], networks: [] });
    }
    expect(await statusPing(baseUrl(port))).toBeUndefined();
  });
});
