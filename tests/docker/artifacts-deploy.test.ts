// Deploys and backups on the real engine with the simulator image: a project version imported into a running
// gateway, a backup taken into the artifact store and restored, failures in words, retention, the scheduler, and
// refusals for foreign versions and other sites' operators.
import { Readable } from 'node:stream';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { auditLog, backupSchedules, environmentJobs } from '@/db/schema';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { buildBackup, buildProjectExport } from '@/lib/artifacts/fixtures';
import { runDueBackups } from '@/server/jobs/backup-scheduler';
import type { Worker } from '@/server/jobs/worker';
import { addMember, appDb, makeTenant, ownerDb } from '../helpers/db';
import { deployAndWait as deployAndWaitFor, finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { refusal } from '../integration/support/refusal';
import { gatewayApi } from './helpers/gateway-http';
import { removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION, fastSimulatorSpec } from './helpers/runtime-fixture';
import { makeZip } from './helpers/zip-files';

const TOKEN = 'deploy-e2e-api-token-7c2';
const PORT_LOW = 44_000 + Math.floor(Math.random() * 200) * 10;
const spec = fastSimulatorSpec({ token: TOKEN, startupDelayMs: 300 });

let dataDir: string;
let worker: Worker;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let plant: string;
let otherSite: string;
let api: ReturnType<typeof gatewayApi>;
let projectVersionId: string;
let backupVersionId: string;
const slugs: string[] = [];

const at = () => ({ tenantId: a.tenant.id, siteId: plant, environment: 'gw' });
const jobCount = async () => (await a.ownerCaller.environments.jobs(at())).length;
const projectNames = async () => (await api.json<{ items: { name: string }[] }>('projects/list')).items.map((p) => p.name).sort();
const upload = (name: string, kind: 'project' | 'backup' | 'module' | 'other', data: Buffer, siteId?: string) =>
  a.ownerCaller.artifacts.upload({ tenantId: a.tenant.id, name, kind, siteId, body: Readable.from([data]) });

const deployAndWait = (versionId: string, projectName?: string) => deployAndWaitFor(a.ownerCaller, at(), versionId, projectName);

async function backUpNow() {
  const job = (await a.ownerCaller.environments.backup(at())).latestJob!;
  return finishedJob(a.ownerCaller, at(), job.number);
}

const backups = () => a.ownerCaller.deployments.backups(at());

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  [a, b] = await Promise.all([makeTenant('depa'), makeTenant('depb')]);
  slugs.push(a.tenant.slug, b.tenant.slug);
  plant = (await a.ownerCaller.sites.create({ tenantId: a.tenant.id, slug: 'plant', name: 'Plant' })).id;
  otherSite = (await a.ownerCaller.sites.create({ tenantId: a.tenant.id, slug: 'other', name: 'Other' })).id;
  const created = await a.ownerCaller.environments.create({ ...at(), name: 'gw', stage: 'dev', spec, apiToken: TOKEN });
  expect(await finishedJob(a.ownerCaller, at(), 1)).toMatchObject({ kind: 'provision', status: 'succeeded' });
  api = gatewayApi(`http://127.0.0.1:${created.environment.httpPort}`, TOKEN);
});

afterAll(async () => {
  await worker?.stop();
  for (const slug of slugs) await removeLabelled(`io.switchyard.tenant=${slug}`);
  await removeDataDir(dataDir);
});

describe('deploying a project version', () => {
  it('imports it into the gateway through its API, step by step, and records it on both sides', async () => {
    const up = await upload('line-hmi', 'project', await buildProjectExport({ title: 'Line HMI', resources: { 'ignition/script-python/hmi/code.py': 'x = 1' } }));
    projectVersionId = up.version.id;
    const { job, deployment } = await deployAndWait(projectVersionId);
    expect(job).toMatchObject({ kind: 'deploy', status: 'succeeded', error: null, requestedBy: a.owner.email });
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['download:done', 'import:done', 'wait healthy:done', 'record:done']);
    expect(job.steps[1]!.detail).toBe('imported as project "line-hmi"');
    expect(await projectNames()).toContain('line-hmi');
    expect(deployment).toMatchObject({ status: 'succeeded', error: null, artifactName: 'line-hmi', versionNumber: 1, deployedBy: a.owner.email, finishedAt: expect.any(Date) });
    const fromVersion = await a.ownerCaller.artifacts.version({ tenantId: a.tenant.id, versionId: projectVersionId });
    expect(fromVersion.deployments).toEqual([expect.objectContaining({ id: deployment.id, environmentName: 'gw', status: 'succeeded' })]);
    expect(await a.ownerCaller.environments.get(at())).toMatchObject({ status: 'running', lastError: null });
    const audit = await a.ownerCaller.audit.list({ tenantId: a.tenant.id, action: 'artifact.deploy' });
    expect(audit).toEqual(expect.arrayContaining([expect.objectContaining({ resourceId: projectVersionId })]));
  });

  it('imports under another project name when asked, replacing what is there', async () => {
    const { job } = await deployAndWait(projectVersionId, 'Line_2');
    expect(job.steps[1]!.detail).toBe('imported as project "Line_2"');
    const again = await deployAndWait(projectVersionId, 'Line_2');
    expect(again.job.steps[1]!.detail).toBe('imported as project "Line_2", replacing the one there');
    expect(await projectNames()).toEqual(expect.arrayContaining(['Line_2', 'line-hmi']));
  });

  it('refuses what cannot be deployed, in words, queuing nothing', async () => {
    const jobs = await jobCount();
    const other = await upload('readme', 'other', Buffer.from('notes'));
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: other.version.id })))
      .toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not deployed to gateways') });
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: projectVersionId, projectName: 'no spaces' })))
      .toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { projectName: [expect.stringContaining('letters, digits')] } });
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: projectVersionId, environment: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await jobCount()).toBe(jobs);
  });
});

describe('backups in the artifact store', () => {
  it('"back up now" stores a version of the environment\'s backup artifact with its parsed metadata', async () => {
    const job = await backUpNow();
    expect(job).toMatchObject({ kind: 'backup', status: 'succeeded' });
    const list = await backups();
    expect(list).toMatchObject({ artifactName: 'plant-gw-backups', artifactId: expect.any(String) });
    expect(list.versions).toHaveLength(1);
    expect(list.versions[0]).toMatchObject({ number: 1, uploadedBy: a.owner.email, deployed: false,
      metadata: { kind: 'backup', version: SIM_VERSION, edition: 'standard', gatewayName: 'gw', projects: expect.arrayContaining(['line-hmi', 'Line_2']) } });
    const artifact = await a.ownerCaller.artifacts.get({ tenantId: a.tenant.id, artifactId: list.artifactId! });
    expect(artifact.artifact).toMatchObject({ kind: 'backup', siteId: plant });
    backupVersionId = list.versions[0]!.id;
  });

  it('restores a backup by deploying it: the gateway restarts with its projects', async () => {
    expect((await api.post('projects/import/Scratch', await makeZip({ 'project.json': '{"title":"Scratch"}' }))).status).toBe(200);
    const { job, deployment } = await deployAndWait(backupVersionId);
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['download:done', 'restore:done', 'wait healthy:done', 'record:done']);
    expect(job.steps[2]!.detail).toBe('restarted; RUNNING');
    expect(deployment.status).toBe('succeeded');
    const names = await projectNames();
    expect(names).toEqual(expect.arrayContaining(['line-hmi', 'Line_2']));
    expect(names).not.toContain('Scratch');
    expect(await a.ownerCaller.environments.get(at())).toMatchObject({ status: 'running' });
  });

  it('a restore the gateway refuses fails the deployment in words and leaves the environment running', async () => {
    const newer = await upload('from-the-future', 'backup', await buildBackup({ version: '9.1.0', systemName: 'future' }), plant);
    const { job, deployment } = await deployAndWait(newer.version.id);
    expect(job).toMatchObject({ kind: 'deploy', status: 'failed', error: expect.stringMatching(/refused the restore \(HTTP 409\).*newer than this gateway/) });
    expect(deployment).toMatchObject({ status: 'failed', error: job.error, finishedAt: expect.any(Date) });
    expect(await a.ownerCaller.environments.get(at())).toMatchObject({ status: 'running', lastError: job.error });
  });

  it('retention keeps the newest N, never a deployed version, audited as the system', async () => {
    await a.ownerCaller.deployments.setBackupSchedule({ ...at(), everyHours: 24, keepLast: 2 });
    for (const name of ['R1', 'R2', 'R3']) {
      // A change on the gateway between backups, so each is new bytes.
      expect((await api.post(`projects/import/${name}`, await makeZip({ 'project.json': `{"title":"${name}"}` }))).status).toBe(200);
      expect(await backUpNow()).toMatchObject({ status: 'succeeded' });
    }
    const numbers = (await backups()).versions.map((v) => [v.number, v.deployed]);
    // Version 1 was restored (deployed): kept. Of 2, 3, 4 the newest two stay.
    expect(numbers).toEqual([[4, false], [3, false], [1, true]]);
    const pruned = await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.select().from(auditLog)
      .where(and(eq(auditLog.tenantId, a.tenant.id), eq(auditLog.action, 'artifact.delete_version'), eq(auditLog.actorLabel, 'backup retention'))));
    expect(pruned).toHaveLength(1);
    expect(pruned[0]!.changes).toMatchObject({ number: 2, reason: 'retention: keep the last 2' });
  });

  it('the schedule form refuses bad values with the field named', async () => {
    expect(await refusal(a.ownerCaller.deployments.setBackupSchedule({ ...at(), everyHours: 0, keepLast: 2 }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { everyHours: [expect.any(String)] } });
    expect(await refusal(a.ownerCaller.deployments.setBackupSchedule({ ...at(), everyHours: 24, keepLast: 1001 }))).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { keepLast: [expect.any(String)] } });
    expect(await refusal(a.ownerCaller.deployments.setBackupSchedule({ ...at(), everyHours: 24 }))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('keepLast') });
    expect(await a.ownerCaller.deployments.backupSchedule(at())).toMatchObject({ everyHours: 24, keepLast: 2, keepDays: null });
  });

  it('the scheduler queues a due backup as the system and moves the next run by whole periods', async () => {
    const planned = new Date(Date.now() - 60_000);
    await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.update(backupSchedules).set({ nextRunAt: planned }).where(eq(backupSchedules.tenantId, a.tenant.id)));
    expect((await api.post('projects/import/S1', await makeZip({ 'project.json': '{"title":"S1"}' }))).status).toBe(200);
    const outcomes = await runDueBackups(appDb().db, { onlyTenants: [a.tenant.id] });
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'queued' })]);
    const number = (outcomes[0] as { jobNumber: number }).jobNumber;
    expect(await finishedJob(a.ownerCaller, at(), number)).toMatchObject({ kind: 'backup', status: 'succeeded', requestedBy: 'backup scheduler' });
    expect((await backups()).versions[0]).toMatchObject({ number: 5, uploadedBy: 'backup scheduler' });
    expect((await a.ownerCaller.deployments.backupSchedule(at()))!.nextRunAt).toEqual(new Date(planned.getTime() + 24 * 3_600_000));
    // Not due any more: the next pass leaves it alone.
    expect(await runDueBackups(appDb().db, { onlyTenants: [a.tenant.id] })).toEqual([]);
  });

  it('the scheduler skips an environment while a job works on it, and still moves on', async () => {
    await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.update(backupSchedules).set({ nextRunAt: new Date(Date.now() - 1000) }).where(eq(backupSchedules.tenantId, a.tenant.id)));
    const restarting = await a.ownerCaller.environments.restart(at());
    const outcomes = await runDueBackups(appDb().db, { onlyTenants: [a.tenant.id] }).finally(() => finishedJob(a.ownerCaller, at(), restarting.latestJob!.number));
    // Every job moves the environment out of "running" while it is active, so that is the reason given.
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'the gateway is restarting, not running' })]);
    expect((await a.ownerCaller.deployments.backupSchedule(at()))!.nextRunAt.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('who may deploy what', () => {
  it("another tenant's version id answers NOT_FOUND, as a made-up one does", async () => {
    await b.ownerCaller.sites.create({ tenantId: b.tenant.id, slug: 'plant', name: 'Plant' }).then(async (site) => {
      const ref = { tenantId: b.tenant.id, siteId: site.id, environment: 'gw' };
      const foreign = await refusal(b.ownerCaller.deployments.deploy({ ...ref, versionId: projectVersionId }));
      const madeUp = await refusal(b.ownerCaller.deployments.deploy({ ...ref, versionId: crypto.randomUUID() }));
      expect(foreign).toEqual(madeUp);
      expect(foreign.code).toBe('NOT_FOUND');
    });
  });

  it("a site operator of another site gets NOT_FOUND; another site's artifact is not deployable here", async () => {
    const jobs = await jobCount();
    const { caller: operator } = await addMember(a.ownerCaller, a.tenant.id, null, [{ siteId: otherSite, role: 'operator' }]);
    expect(await refusal(operator.deployments.deploy({ ...at(), versionId: projectVersionId }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(operator.deployments.list(at()))).toMatchObject({ code: 'NOT_FOUND' });
    const elsewhere = await upload('other-site-project', 'project', await buildProjectExport({ title: 'Elsewhere' }), otherSite);
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: elsewhere.version.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await a.ownerCaller.deployments.deployable({ tenantId: a.tenant.id, siteId: plant })).map((d) => d.name))
      .toEqual(expect.arrayContaining(['line-hmi', 'plant-gw-backups', 'from-the-future']));
    expect((await a.ownerCaller.deployments.deployable({ tenantId: a.tenant.id, siteId: plant })).map((d) => d.name)).not.toContain('other-site-project');
    expect(await jobCount()).toBe(jobs);
  });

  it('a deployed version cannot be deleted without force and a reason', async () => {
    expect(await refusal(a.ownerCaller.artifacts.deleteVersion({ tenantId: a.tenant.id, versionId: projectVersionId }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('gw') });
    expect(await refusal(a.ownerCaller.artifacts.deleteVersion({ tenantId: a.tenant.id, versionId: projectVersionId, force: true }))).toMatchObject({ code: 'BAD_REQUEST' });
    await a.ownerCaller.artifacts.deleteVersion({ tenantId: a.tenant.id, versionId: projectVersionId, force: true, reason: 'superseded' });
    expect((await a.ownerCaller.deployments.list(at())).some((d) => d.versionId === projectVersionId)).toBe(false);
  });

  it('a stopped gateway is not deployed to', async () => {
    const stopping = await a.ownerCaller.environments.stop(at());
    await finishedJob(a.ownerCaller, at(), stopping.latestJob!.number);
    expect(await refusal(a.ownerCaller.deployments.deploy({ ...at(), versionId: backupVersionId })))
      .toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('is stopped') });
    const starting = await a.ownerCaller.environments.start(at());
    expect(await finishedJob(a.ownerCaller, at(), starting.latestJob!.number)).toMatchObject({ status: 'succeeded' });
  });
});

describe('teardown', () => {
  it('takes its final backup into the store, drops the schedule and keeps the backups', async () => {
    expect((await api.post('projects/import/Last', await makeZip({ 'project.json': '{"title":"Last"}' }))).status).toBe(200);
    const tearing = await a.ownerCaller.environments.delete({ ...at(), confirm: 'gw', finalBackup: true });
    const job = await finishedJob(a.ownerCaller, at(), tearing.latestJob!.number);
    expect(job).toMatchObject({ kind: 'teardown', status: 'succeeded' });
    expect(job.steps.find((s) => s.name === 'final backup')!.detail).toMatch(/^stored version 6 of "plant-gw-backups"/);
    const list = await backups();
    expect(list.versions[0]).toMatchObject({ number: 6, metadata: { projects: expect.arrayContaining(['Last']) } });
    const schedules = await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.select().from(backupSchedules).where(eq(backupSchedules.tenantId, a.tenant.id)));
    expect(schedules).toEqual([]);
    const active = await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.select().from(environmentJobs).where(eq(environmentJobs.tenantId, a.tenant.id)));
    expect(active.every((j) => !['queued', 'running'].includes(j.status))).toBe(true);
  });
});
