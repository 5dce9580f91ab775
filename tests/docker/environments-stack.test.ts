// An environment holding a stack (two gateways) on the real engine with the simulator image: each member gets its
// own host port, both come up healthy on the site's one network, a change keeps both, the Compose download has both,
// teardown leaves nothing labelled; a stack over quota or with duplicate member names is refused with nothing created.
import Docker from 'dockerode';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import type { Worker } from '@/server/jobs/worker';
import { environmentCompose } from '@/server/services/environments';
import { appDb, makeTenant } from '../helpers/db';
import { environmentRowCounts, finishedJob, isolateEnvironmentConfig, queuedCount, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { refusal } from '../integration/support/refusal';
import { statusPing } from './helpers/gateway-http';
import { leftovers, removeLabelled } from './helpers/labelled';
import { SIM_VERSION, stackMember as member } from './helpers/runtime-fixture';

const PORT_LOW = 37_000 + Math.floor(Math.random() * 200) * 10; // a base no other suite uses
const stack = (memory = '1GiB') => ({ gateways: [member('frontend', memory), member('backend', memory)] });

const engine = new Docker();
let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let site: string;

const at = (environment = 'pair') => ({ tenantId: t.tenant.id, siteId: site, environment });
const baseUrl = (port: number | undefined) => `http://127.0.0.1:${port}`;

async function containers() {
  const listed = await engine.listContainers({ all: true, filters: { label: [`io.switchyard.tenant=${t.tenant.slug}`, 'io.switchyard.environment=pair'] } });
  return Promise.all(listed.map((c) => engine.getContainer(c.Id).inspect()));
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  t = await makeTenant('envstack');
  site = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
});

afterAll(async () => {
  await worker?.stop();
  if (t) await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  await removeDataDir(dataDir);
});

describe('an environment holding a stack of two gateways', () => {
  let ports: Record<string, number> = {};

  it('refuses duplicate member names, naming the field, with nothing created', async () => {
    const before = [await environmentRowCounts(t.tenant.id), await queuedCount()];
    const duplicate = await refusal(t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: { gateways: [member('gw'), member('gw')] } }));
    expect(duplicate).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('spec.gateways[1].name: "gw" is used by another member') });
    expect(duplicate.fieldErrors).toHaveProperty(['spec.gateways[1].name']);
    const ported = await refusal(t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: { gateways: [member('a'), { ...member('b'), ports: { http: 9000 } }] } }));
    expect(ported).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('spec.gateways[1].ports: host ports are allocated by Switchyard') });
    const unnamed = await refusal(t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: { gateways: [{ version: SIM_VERSION }] } }));
    expect(unnamed).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('spec.gateways[0].name') });
    expect([await environmentRowCounts(t.tenant.id), await queuedCount()]).toEqual(before);
  });

  it('refuses a stack over quota, naming the limit and the sum of its members, with nothing created', async () => {
    await t.ownerCaller.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments: 5, maxCpus: 8, maxMemoryMib: 1536 });
    const before = [await environmentRowCounts(t.tenant.id), await queuedCount()];
    const over = await refusal(t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: stack('1GiB') }));
    expect(over).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('memory limit is 1536MiB, 0MiB in use, this needs 2048MiB more') });
    await t.ownerCaller.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments: 5, maxCpus: 1.5, maxMemoryMib: 8192 });
    const cpus = await refusal(t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: stack() }));
    expect(cpus).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('CPUs limit is 1.5, 0 in use, this needs 2 more') });
    expect([await environmentRowCounts(t.tenant.id), await queuedCount()]).toEqual(before);
    await t.ownerCaller.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments: 5, maxCpus: 8, maxMemoryMib: 8192 });
  });

  it('provisions both members healthy, each on its own host port, on one site network', async () => {
    const created = await t.ownerCaller.environments.create({ ...at(), name: 'pair', stage: 'dev', spec: stack() });
    ports = created.environment.ports;
    expect(Object.keys(ports)).toEqual(['frontend', 'backend']);
    expect(ports.frontend).not.toBe(ports.backend);
    expect(created.environment.httpPort).toBe(ports.frontend);
    for (const port of Object.values(ports)) expect(port).toBeGreaterThanOrEqual(PORT_LOW);
    expect(await finishedJob(t.ownerCaller, at(), 1)).toMatchObject({ kind: 'provision', status: 'succeeded', error: null });
    expect(await t.ownerCaller.environments.get(at())).toMatchObject({ status: 'running', ports });
    expect(await statusPing(baseUrl(ports.frontend))).toBe('RUNNING');
    expect(await statusPing(baseUrl(ports.backend))).toBe('RUNNING');
    const running = await containers();
    expect(running).toHaveLength(2);
    expect(running.every((c) => c.State.Health?.Status === 'healthy')).toBe(true);
    expect(running.map((c) => Number(c.HostConfig.PortBindings['8088/tcp']?.[0]?.HostPort)).sort()).toEqual(Object.values(ports).sort());
    expect(new Set(running.flatMap((c) => Object.keys(c.NetworkSettings.Networks))).size).toBe(1);
    const usage = (await t.ownerCaller.environments.quota({ tenantId: t.tenant.id })).usage;
    expect(usage).toEqual({ environments: 1, cpus: 2, memoryMib: 2048 });
  });

  it('renders the whole stack in the Compose download', async () => {
    const doc = parse(await environmentCompose(appDb().db, { tenantId: t.tenant.id, siteId: site, name: 'pair' })) as { services: Record<string, { ports: unknown[] }> };
    const published = JSON.stringify(Object.values(doc.services).map((s) => s.ports));
    expect(Object.keys(doc.services)).toHaveLength(2);
    expect(published).toContain(String(ports.frontend));
    expect(published).toContain(String(ports.backend));
  });

  it('a change re-creates both members with the new memory on the same ports; a change of members is refused', async () => {
    const changing = await t.ownerCaller.environments.update({ ...at(), spec: stack('1536MiB') });
    expect(await finishedJob(t.ownerCaller, at(), changing.latestJob!.number)).toMatchObject({ kind: 'change', status: 'succeeded' });
    expect((await t.ownerCaller.environments.get(at())).ports).toEqual(ports);
    const changed = await containers();
    expect(changed.map((c) => c.HostConfig.Memory)).toEqual([1536 * 1024 ** 2, 1536 * 1024 ** 2]);
    expect(await statusPing(baseUrl(ports.frontend))).toBe('RUNNING');
    expect(await statusPing(baseUrl(ports.backend))).toBe('RUNNING');
    const renamed = await refusal(t.ownerCaller.environments.update({ ...at(), spec: { gateways: [member('frontend'), member('other')] } }));
    expect(renamed).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('holds a stack of frontend, backend; a change keeps the same gateways') });
    const single = await refusal(t.ownerCaller.environments.update({ ...at(), spec: member('frontend') }));
    expect(single).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('this spec gives one gateway') });
  });

  it('tears down: nothing labelled remains and both ports are released', async () => {
    const tearing = await t.ownerCaller.environments.delete({ ...at(), confirm: 'pair' });
    expect(await finishedJob(t.ownerCaller, at(), tearing.latestJob!.number)).toMatchObject({ kind: 'teardown', status: 'succeeded' });
    expect(await t.ownerCaller.environments.get(at())).toMatchObject({ status: 'removed', httpPort: null, ports: {} });
    expect(await leftovers(`io.switchyard.tenant=${t.tenant.slug}`)).toEqual({ containers: [], volumes: [], networks: [] });
    expect((await environmentRowCounts(t.tenant.id)).ports).toBe(0);
    expect(await statusPing(baseUrl(ports.frontend))).toBeUndefined();
  });
});
