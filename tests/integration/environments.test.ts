import Docker from 'dockerode';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { auditLog, environments } from '@/db/schema';
import type { Worker } from '@/server/jobs/worker';
import { metrics } from '@/server/metrics';
import { DockerRuntime } from '@/server/runtime';
import { createEnvironment } from '@/server/services/environments';
import { removeLabelled } from '../docker/helpers/labelled';
import { addMember, appDb, makeTenant, ownerDb } from '../helpers/db';
import {
  environmentRowCounts, finishedJob, isolateEnvironmentConfig, queuedCount, removeDataDir, startTestWorker,
} from './environments-fixture';
import { refusal } from './support/refusal';

// Requests, refusals and job records against the real database and engine. The image is never on the host, so
// each provision fails at its image step and rolls back: what is tested here is the bookkeeping around it.

const PORT_LOW = 41_000 + Math.floor(Math.random() * 500) * 4;
const MISSING_IMAGE = 'switchyard/not-pulled:8.3.4';
const spec = (extra: Record<string, unknown> = {}) => ({ version: '8.3.4', image: MISSING_IMAGE, acceptEula: true, memory: '1GiB', ...extra });

let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let siteId: string;
let otherSiteId: string;
let tenantSlug: string;

beforeAll(async () => {
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 2}` });
  worker = await startTestWorker();
  t = await makeTenant('envs');
  tenantSlug = t.tenant.slug;
  siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'line-1', name: 'Line 1' })).id;
  otherSiteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'line-2', name: 'Line 2' })).id;
});

afterAll(async () => {
  await worker?.stop();
  await removeLabelled(`io.switchyard.tenant=${tenantSlug}`);
  await removeDataDir(dataDir);
});

const at = (environment: string, site = siteId) => ({ tenantId: t.tenant.id, siteId: site, environment });

describe('requesting an environment', () => {
  let adminPassword: string;

  it('answers with the environment, its first job queued and the admin password, once', async () => {
    const created = await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'dev', stage: 'dev', spec: spec() });
    adminPassword = created.adminPassword;
    expect(adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(created.environment).toMatchObject({ name: 'dev', stage: 'dev', status: 'provisioning', desiredState: 'running', httpPort: PORT_LOW });
    expect(created.environment.latestJob).toMatchObject({ number: 1, kind: 'provision' });
    expect(JSON.stringify(created.environment)).not.toContain(adminPassword);
  });

  it('never shows the password again: not in get, list, the stored row or the audit entry', async () => {
    const seen = JSON.stringify([await t.ownerCaller.environments.get(at('dev')), await t.ownerCaller.environments.list({ tenantId: t.tenant.id, siteId })]);
    expect(seen).not.toContain(adminPassword);
    expect(seen).not.toMatch(/sealed/i);
    const stored = await withTenant(ownerDb().db, t.tenant.id, async (tx) => ({
      env: await tx.select().from(environments).where(eq(environments.tenantId, t.tenant.id)),
      audit: await tx.select().from(auditLog).where(eq(auditLog.tenantId, t.tenant.id)),
    }));
    expect(stored.env[0]!.adminPasswordSealed).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(adminPassword);
    expect(stored.audit.map((a) => a.action)).toContain('environment.create');
  });

  it('runs the provision as a job whose steps say why it failed, and removes what it created', async () => {
    const job = await finishedJob(t.ownerCaller, at('dev'), 1);
    expect(job.status).toBe('rolled_back');
    expect(job.error).toContain(MISSING_IMAGE);
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual(expect.arrayContaining(['network:done', 'image:failed', 'rollback:done']));
    const env = await t.ownerCaller.environments.get(at('dev'));
    expect(env).toMatchObject({ status: 'failed', lastError: expect.stringContaining(MISSING_IMAGE) });
    const engine = new Docker();
    expect(await engine.listContainers({ all: true, filters: { label: [`io.switchyard.tenant=${tenantSlug}`] } })).toEqual([]);
    expect(await engine.listNetworks({ filters: { label: [`io.switchyard.tenant=${tenantSlug}`] } })).toEqual([]);
    const scraped = await metrics().registry.metrics();
    expect(scraped).toMatch(/switchyard_environment_job_duration_seconds_count\{kind="provision",outcome="rolled_back"\} [1-9]/);
    expect(scraped).toMatch(/switchyard_environment_job_failures_total\{kind="provision"\} [1-9]/);
    expect(scraped).toContain('# HELP switchyard_environment_jobs Environment jobs in the queue');
  });

  it('lists jobs newest first and renders the Compose file from the same plan', async () => {
    expect((await t.ownerCaller.environments.jobs(at('dev'))).map((j) => j.number)).toEqual([1]);
    const compose = await t.ownerCaller.environments.compose(at('dev'));
    expect(compose.fileName).toBe('dev.compose.yaml');
    expect(compose.yaml).toContain(MISSING_IMAGE);
    expect(compose.yaml).toMatch(new RegExp(`target: 8088\\s+published: ${PORT_LOW}\\b`));
    expect(compose.yaml).not.toContain(adminPassword);
  });
});

describe('bad input: a clear error and nothing created', () => {
  async function expectNothingCreated(attempt: () => Promise<unknown>) {
    const [rowsBefore, queuedBefore] = [await environmentRowCounts(t.tenant.id), await queuedCount()];
    const refused = await refusal(attempt());
    expect(await environmentRowCounts(t.tenant.id)).toEqual(rowsBefore);
    expect(await queuedCount()).toBe(queuedBefore);
    return refused;
  }
  const create = (name: string, s: Record<string, unknown>) => () => t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name, stage: 'dev', spec: s });

  it('an unknown gateway version names the field', async () => {
    expect(await expectNothingCreated(create('old-version', spec({ version: '7.1.0' })))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'spec.version': [expect.stringMatching(/7\.1/)] } });
  });

  it('memory below the gateway minimum says the minimum', async () => {
    expect(await expectNothingCreated(create('small', spec({ memory: '512MiB' })))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('1024MiB') });
  });

  it('host ports and secrets are Switchyard\'s to set', async () => {
    expect(await expectNothingCreated(create('ports', spec({ ports: { http: 9088 } })))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('SWITCHYARD_PORT_RANGE') });
    expect(await expectNothingCreated(create('sec', spec({ secrets: { adminPassword: 'secrets/x' } })))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'spec.secrets': [expect.any(String)] } });
  });

  it('a bad name, a bad stage', async () => {
    expect(await expectNothingCreated(create('Bad Name', spec()))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { name: [expect.stringContaining('lowercase')] } });
    expect(await expectNothingCreated(() => t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'x1', stage: 'qa' as 'dev', spec: spec() })))
      .toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { stage: [expect.stringContaining('dev, staging, prod')] } });
  });

  it('a duplicate name in the site is a CONFLICT; the same name in another site is fine', async () => {
    expect(await expectNothingCreated(create('dev', spec()))).toMatchObject({ code: 'CONFLICT', fieldErrors: { name: [expect.stringContaining('"dev" already exists')] } });
    const other = await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId: otherSiteId, name: 'dev', stage: 'dev', spec: spec() });
    expect(other.environment.siteId).toBe(otherSiteId);
  });

  it('the port range exhausted names the range', async () => {
    await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'third', stage: 'dev', spec: spec() });
    expect(await expectNothingCreated(create('fourth', spec()))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining(`(${PORT_LOW}-${PORT_LOW + 2}) are in use`) });
  });

  it('a quota exceeded names the limit and the current use', async () => {
    const setQuota = (maxEnvironments: number, maxCpus: number, maxMemoryMib: number) =>
      t.ownerCaller.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments, maxCpus, maxMemoryMib });
    expect(await setQuota(3, 8, 4096)).toEqual({ quota: { maxEnvironments: 3, maxCpus: 8, maxMemoryMib: 4096 }, usage: { environments: 3, cpus: 3, memoryMib: 3072 } });
    expect(await expectNothingCreated(create('fifth', spec()))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('environments limit is 3, 3 in use') });
    await setQuota(10, 8, 3500);
    expect(await expectNothingCreated(create('fifth', spec()))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('memory limit is 3500MiB, 3072MiB in use, this needs 1024MiB more') });
    await setQuota(10, 3.5, 32768);
    expect(await expectNothingCreated(create('fifth', spec({ cpus: 1 })))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('CPUs limit is 3.5, 3 in use, this needs 1 more') });
    await setQuota(10, 8, 3500);
    const resize = await refusal(t.ownerCaller.environments.update({ ...at('dev'), spec: spec({ memory: '2GiB' }) }));
    expect(resize).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('memory limit') });
    expect(await refusal(setQuota(-1, 8, 3500))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { maxEnvironments: [expect.any(String)] } });
    await setQuota(10, 16, 32768);
    expect((await t.ownerCaller.environments.quota({ tenantId: t.tenant.id })).quota.maxMemoryMib).toBe(32768);
    const { caller: viewer } = await addMember(t.ownerCaller, t.tenant.id, 'member');
    expect(await refusal(viewer.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments: 99, maxCpus: 99, maxMemoryMib: 99_999 }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the engine unreachable: "runtime unavailable", nothing written', async () => {
    const deadEngine = new DockerRuntime(new Docker({ socketPath: '/nonexistent/docker.sock' }));
    const before = await environmentRowCounts(t.tenant.id);
    const attempt = createEnvironment(appDb().db, deadEngine, {
      tenantId: t.tenant.id, siteId, name: 'offline', stage: 'dev', spec: spec(), actor: t.owner, meta: { requestId: 'r', sourceIp: null, userAgent: null },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringMatching(/runtime unavailable.*Nothing was changed/s) });
    expect(await environmentRowCounts(t.tenant.id)).toEqual(before);
  });
});

describe('actions and teardown', () => {
  it('a job at a time: an action while one is queued is a CONFLICT naming it', async () => {
    await finishedJob(t.ownerCaller, at('third'), 1);
    await worker.stop(); // nothing takes the next job until the check is done
    try {
      await t.ownerCaller.environments.start(at('third'));
      expect(await refusal(t.ownerCaller.environments.stop(at('third')))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('A start job (#2) is still queued') });
    } finally {
      worker = await startTestWorker();
    }
    expect(await finishedJob(t.ownerCaller, at('third'), 2)).toMatchObject({ kind: 'start', status: 'rolled_back' });
  });

  it('backup needs the gateway API token', async () => {
    expect(await refusal(t.ownerCaller.environments.backup(at('dev')))).toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('API token') });
  });

  it('teardown wants the name typed again; then removes the environment, frees its name and its port', async () => {
    // The site cannot go while the environment runs: its rows would vanish and the gateway run on, unowned.
    expect(await refusal(t.ownerCaller.sites.delete({ tenantId: t.tenant.id, siteId })))
      .toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('(dev') });
    expect(await refusal(t.ownerCaller.environments.delete({ ...at('dev'), confirm: 'dve' }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { confirm: [expect.stringContaining('"dev"')] } });
    const tearing = await t.ownerCaller.environments.delete({ ...at('dev'), confirm: 'dev' });
    expect(tearing).toMatchObject({ status: 'tearing_down', desiredState: 'absent', latestJob: { kind: 'teardown' } });
    const job = await finishedJob(t.ownerCaller, at('dev'), tearing.latestJob!.number);
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(await t.ownerCaller.environments.get(at('dev'))).toMatchObject({ status: 'removed', httpPort: null, removedAt: expect.any(Date) });
    expect((await t.ownerCaller.environments.list({ tenantId: t.tenant.id, siteId })).map((e) => e.name)).not.toContain('dev');
    expect(await refusal(t.ownerCaller.environments.start(at('dev')))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('torn down') });
    const again = await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name: 'dev', stage: 'staging', spec: spec() });
    expect(again.environment).toMatchObject({ name: 'dev', stage: 'staging', httpPort: PORT_LOW, latestJob: { number: 1 } });
  });

  it('every action is audited by name, without secrets', async () => {
    const actions = (await t.ownerCaller.audit.list({ tenantId: t.tenant.id, action: 'environment.' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['environment.create', 'environment.start', 'environment.delete']));
    expect(await t.ownerCaller.audit.verify({ tenantId: t.tenant.id })).toMatchObject({ ok: true });
  });
});

describe('another site, another tenant', () => {
  it('an operator of one site gets NOT_FOUND for the other site\'s environments, for every procedure', async () => {
    const { caller } = await addMember(t.ownerCaller, t.tenant.id, null, [{ siteId, role: 'operator' }]);
    const other = at('dev', otherSiteId);
    const calls = [
      () => caller.environments.get(other), () => caller.environments.list({ tenantId: t.tenant.id, siteId: otherSiteId }),
      () => caller.environments.compose(other), () => caller.environments.jobs(other), () => caller.environments.job({ ...other, number: 1 }),
      () => caller.environments.update({ ...other, spec: spec() }), () => caller.environments.start(other), () => caller.environments.stop(other),
      () => caller.environments.restart(other), () => caller.environments.backup(other), () => caller.environments.delete({ ...other, confirm: 'dev' }),
      () => caller.environments.create({ tenantId: t.tenant.id, siteId: otherSiteId, name: 'sneak', stage: 'dev', spec: spec() }),
    ];
    for (const call of calls) expect(await refusal(call())).toMatchObject({ code: 'NOT_FOUND' });
    // Its own site works, so the refusals above are about the site.
    await expect(caller.environments.get(at('third'))).resolves.toMatchObject({ name: 'third' });
  });

  it("another tenant's owner gets NOT_FOUND with A's ids, and with A's environment name under their own site", async () => {
    const b = await makeTenant('envs-b');
    const bSite = (await b.ownerCaller.sites.create({ tenantId: b.tenant.id, slug: 'plant', name: 'Plant' })).id;
    expect(await refusal(b.ownerCaller.environments.get(at('third')))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(b.ownerCaller.environments.get({ tenantId: b.tenant.id, siteId: bSite, environment: 'third' }))).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('environment') });
    expect(await refusal(b.ownerCaller.environments.get({ tenantId: b.tenant.id, siteId, environment: 'third' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.ownerCaller.environments.list({ tenantId: b.tenant.id, siteId: bSite })).toEqual([]);
  });
});

