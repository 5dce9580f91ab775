// Observing an environment on the real engine with the simulator image: the stats sampler writes samples that the
// `samples` procedure answers and retention prunes; `logs` answers the tail and, with `since`, only newer lines.
import Docker from 'dockerode';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { environmentSamples } from '@/db/schema';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { parseConfig } from '@/server/config';
import { sampleOnce } from '@/server/jobs/sampler';
import type { Worker } from '@/server/jobs/worker';
import { DockerRuntime, isRuntimeError } from '@/server/runtime';
import { addMember, appDb, makeTenant, ownerDb } from '../helpers/db';
import { baseUrl } from '../helpers/http';
import { removeLabelled } from '../docker/helpers/labelled';
import { SIM_IMAGE, SIM_VERSION } from '../docker/helpers/runtime-fixture';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from './environments-fixture';
import { PROBE_SPEC } from './support/sample-inputs';
import { refusal } from './support/refusal';

const PORT_LOW = 48_000 + Math.floor(Math.random() * 100) * 10;
const GIB = 1024 ** 3;
const spec = {
  version: SIM_VERSION, image: SIM_IMAGE, acceptEula: true, memory: '1GiB',
  environment: { SIM_STARTUP_DELAY_MS: '100' }, healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '0s' },
};

const runtime = new DockerRuntime();
let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let siteId: string;
let environmentId: string;
let viewer: Awaited<ReturnType<typeof addMember>>['caller'];
let otherSiteViewer: Awaited<ReturnType<typeof addMember>>['caller'];

const gw = () => ({ tenantId: t.tenant.id, siteId, environment: 'gw' });
const idle = () => ({ tenantId: t.tenant.id, siteId, environment: 'idle' });
const sampler = () => ({ db: appDb().db, runtime, onlyTenants: [t.tenant.id] });

async function storedSamples() {
  return withTenant(ownerDb().db, t.tenant.id, (tx) => tx.select().from(environmentSamples)
    .where(and(eq(environmentSamples.tenantId, t.tenant.id), eq(environmentSamples.environmentId, environmentId))).orderBy(asc(environmentSamples.id)));
}

/** Polls until `check` answers a value, without fixed sleeps beyond the poll step. */
async function eventually<T>(what: string, check: () => Promise<T | null>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  t = await makeTenant('observe');
  siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  const otherSite = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'other', name: 'Other' })).id;
  viewer = (await addMember(t.ownerCaller, t.tenant.id, null, [{ siteId, role: 'viewer' }])).caller;
  otherSiteViewer = (await addMember(t.ownerCaller, t.tenant.id, null, [{ siteId: otherSite, role: 'viewer' }])).caller;
  const created = await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'gw', stage: 'dev', spec });
  environmentId = created.environment.id;
  // A gateway whose image is not on the host: its provision fails and leaves no container.
  await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'idle', stage: 'dev', spec: PROBE_SPEC });
  const provision = await finishedJob(t.ownerCaller, { tenantId: t.tenant.id, siteId, environment: 'gw' }, 1, 90_000);
  expect({ status: provision.status, error: provision.error }).toEqual({ status: 'succeeded', error: null });
  expect((await finishedJob(t.ownerCaller, { tenantId: t.tenant.id, siteId, environment: 'idle' }, 1)).status).not.toBe('succeeded');
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  if (t) await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  if (dataDir) await removeDataDir(dataDir);
});

describe('stats samples', () => {
  it('the product sampler (started by startJobs in the test server, every 10 s) records the running gateway by itself', async () => {
    const rows = await eventually('no sample from the server\'s sampler', async () => {
      const stored = await storedSamples();
      return stored.length > 0 ? stored : null;
    }, 30_000);
    expect(rows[0]).toMatchObject({ tenantId: t.tenant.id, environmentId, memoryLimitBytes: GIB });
  });

  it('SWITCHYARD_SAMPLER and SWITCHYARD_SAMPLE_SECONDS: defaults, and bad values named', () => {
    expect(parseConfig({})).toMatchObject({ SWITCHYARD_SAMPLER: true, SWITCHYARD_SAMPLE_SECONDS: 10 });
    expect(parseConfig({ SWITCHYARD_SAMPLER: 'false', SWITCHYARD_SAMPLE_SECONDS: '2' })).toMatchObject({ SWITCHYARD_SAMPLER: false, SWITCHYARD_SAMPLE_SECONDS: 2 });
    expect(() => parseConfig({ SWITCHYARD_SAMPLE_SECONDS: '0' })).toThrow(/SWITCHYARD_SAMPLE_SECONDS: must be at least 1/);
    expect(() => parseConfig({ SWITCHYARD_SAMPLE_SECONDS: 'often' })).toThrow(/SWITCHYARD_SAMPLE_SECONDS/);
    expect(() => parseConfig({ SWITCHYARD_SAMPLER: 'sometimes' })).toThrow(/SWITCHYARD_SAMPLER/);
  });

  it('a pass samples the running environment, and the series answers it newest last with the memory limit', async () => {
    const report = await sampleOnce(sampler());
    expect(report).toMatchObject({ engineError: null, sampled: [environmentId] });
    await sampleOnce(sampler());
    const series = await t.ownerCaller.environments.samples(gw());
    expect(series.samples.length).toBeGreaterThanOrEqual(2);
    expect(series.memoryLimitBytes).toBe(GIB);
    expect(series.note).toBeNull();
    const times = series.samples.map((s) => s.sampledAt.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    for (const s of series.samples) {
      expect(s.memoryBytes).toBeGreaterThan(0);
      expect(s.memoryBytes).toBeLessThan(GIB);
      expect(s.cpuPercent).toBeGreaterThanOrEqual(0);
    }
  });

  it('retention: samples older than the age limit go, and only the newest N of the environment stay', async () => {
    const now = Date.now();
    const at = (msAgo: number) => ({ tenantId: t.tenant.id, environmentId, sampledAt: new Date(now - msAgo), cpuPercent: 1, memoryBytes: 1, memoryLimitBytes: GIB });
    const [old, recent] = await withTenant(ownerDb().db, t.tenant.id, async (tx) => [
      await tx.insert(environmentSamples).values([at(3 * 3600_000), at(2 * 3600_000)]).returning({ id: environmentSamples.id }),
      await tx.insert(environmentSamples).values([60, 50, 40, 30, 20, 10].map((s) => at(s * 1000))).returning({ id: environmentSamples.id }),
    ]);
    await sampleOnce(sampler(), { maxSamples: 4, maxAgeMs: 3600_000 });
    const ids = (await storedSamples()).map((r) => r.id);
    expect(ids.filter((id) => old!.some((o) => o.id === id))).toEqual([]);
    // The test server's own sampler may add one sample of this running gateway at any moment: four or five remain,
    // and of the synthetic recent ones only the newest survive.
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(ids.length).toBeLessThanOrEqual(5);
    const keptRecent = recent!.map((r) => r.id).filter((id) => ids.includes(id));
    expect(keptRecent.length).toBeGreaterThanOrEqual(2);
    expect(keptRecent).toEqual(recent!.map((r) => r.id).slice(-keptRecent.length));
  });

  it('an environment without a container answers an empty series with a note, not an error', async () => {
    const series = await t.ownerCaller.environments.samples(idle());
    expect(series).toMatchObject({ samples: [], memoryLimitBytes: null, note: expect.stringMatching(/no samples yet/i) });
  });

  it('an engine that does not answer is reported once per pass, nothing is written', async () => {
    const down = new DockerRuntime(new Docker({ host: '127.0.0.1', port: 1 }));
    const before = (await storedSamples()).length;
    const report = await sampleOnce({ ...sampler(), runtime: down });
    expect(report.sampled).toEqual([]);
    expect(report.engineError).toMatch(/runtime unavailable/);
    expect((await storedSamples()).length).toBeLessThanOrEqual(before + 1); // at most the test server's own sample
  });
});

describe('log tail', () => {
  it('answers the last lines; since returns only lines after the cursor', async () => {
    const first = await t.ownerCaller.environments.logs({ ...gw(), lines: 20 });
    expect(first.note).toBeNull();
    expect(first.lines.length).toBeGreaterThan(0);
    expect(first.lines.length).toBeLessThanOrEqual(20);
    expect(first.cursor).toMatch(/^\d{4}-\d\d-\d\dT.*Z~\d+$/);
    const seen = new Set(first.lines.map((l) => `${l.time} ${l.text}`));
    const cursorTime = Date.parse(first.cursor!.split('~')[0]!);
    // The health check requests /StatusPing every second, and the simulator logs each request.
    const next = await eventually('no newer line', async () => {
      const answer = await t.ownerCaller.environments.logs({ ...gw(), since: first.cursor! });
      return answer.lines.length > 0 ? answer : null;
    });
    for (const line of next.lines) {
      expect(seen.has(`${line.time} ${line.text}`)).toBe(false);
      expect(Date.parse(line.time!)).toBeGreaterThanOrEqual(cursorTime);
    }
    expect(next.cursor).not.toBe(first.cursor);
    const none = await t.ownerCaller.environments.logs({ ...gw(), since: new Date(Date.now() + 3600_000).toISOString() });
    expect(none).toMatchObject({ lines: [], note: null });
  });

  it('a viewer of the site reads samples and logs', async () => {
    expect((await viewer.environments.samples(gw())).samples.length).toBeGreaterThan(0);
    expect((await viewer.environments.logs({ ...gw(), lines: 5 })).lines.length).toBeGreaterThan(0);
  });

  it('a viewer of another site gets NOT_FOUND for both', async () => {
    expect(await refusal(otherSiteViewer.environments.samples(gw()))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(otherSiteViewer.environments.logs(gw()))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses bad lines and since values with what to send instead', async () => {
    expect(await refusal(t.ownerCaller.environments.logs({ ...gw(), lines: 5000 }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/at most 2000/) });
    expect(await refusal(t.ownerCaller.environments.logs({ ...gw(), lines: 0 }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await refusal(t.ownerCaller.environments.logs({ ...gw(), since: 'yesterday' }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/cursor/) });
  });

  it('an environment without a container answers an empty log with a note', async () => {
    expect(await t.ownerCaller.environments.logs(idle())).toMatchObject({ lines: [], cursor: null, note: expect.stringMatching(/no container/i) });
  });

  it('over REST (the served app), both answer 200 for a running gateway and for one without a container', async () => {
    const { token } = await t.ownerCaller.tokens.create({ tenantId: t.tenant.id, name: 'observe', role: 'admin' });
    const get = async (environment: string, what: string) => {
      const res = await fetch(`${baseUrl()}/api/v1/tenants/${t.tenant.id}/sites/${siteId}/environments/${environment}/${what}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    };
    expect(await get('idle', 'logs')).toMatchObject({ status: 200, body: { lines: [], note: expect.stringMatching(/no container/i) } });
    expect(await get('idle', 'samples')).toMatchObject({ status: 200, body: { samples: [], memoryLimitBytes: null } });
    const logs = await get('gw', 'logs?lines=3');
    expect(logs).toMatchObject({ status: 200, body: { note: null } });
    expect((logs.body.lines as unknown[]).length).toBe(3);
    expect((await get('gw', 'samples')).body.memoryLimitBytes).toBe(GIB);
    expect((await get('gw', 'logs?since=soon')).status).toBe(400);
  });

  it('a container removed by hand: logs empty with a note; the stored series stays readable', async () => {
    const name = (await runtime.listManaged({ 'io.switchyard.tenant': t.tenant.slug })).find((c) => c.labels['io.switchyard.environment'] === 'gw')?.name;
    expect(name).toBeDefined();
    await new Docker().getContainer(name!).remove({ force: true });
    await expect(runtime.inspect(name!)).rejects.toSatisfy((e) => isRuntimeError(e, 'NOT_FOUND'));
    expect(await t.ownerCaller.environments.logs(gw())).toMatchObject({ lines: [], note: expect.stringMatching(/no container/i) });
    expect((await sampleOnce(sampler())).sampled).not.toContain(environmentId);
    expect((await t.ownerCaller.environments.samples(gw())).samples.length).toBeGreaterThan(0);
  });
});
