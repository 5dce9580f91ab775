// A deploy to a gateway that does not answer: the deployment fails in words and, the gateway being unhealthy
// afterwards, so does the environment; once started again, the same version deploys.
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { buildProjectExport } from '@/lib/artifacts/fixtures';
import type { Worker } from '@/server/jobs/worker';
import { makeTenant } from '../helpers/db';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION, fastSimulatorSpec } from './helpers/runtime-fixture';

const TOKEN = 'deploy-failure-token-31a';
const PORT_LOW = 48_000 + Math.floor(Math.random() * 200) * 10;
const spec = fastSimulatorSpec({ token: TOKEN });

let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  // The health timeout also bounds how long a failed deploy waits for the gateway to answer RUNNING.
  worker = await startTestWorker({ healthTimeoutMs: 5_000 });
  t = await makeTenant('depfail');
  const siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  ref = { tenantId: t.tenant.id, siteId, environment: 'gw' };
  await t.ownerCaller.environments.create({ ...ref, name: 'gw', stage: 'dev', spec, apiToken: TOKEN });
  expect(await finishedJob(t.ownerCaller, ref, 1)).toMatchObject({ status: 'succeeded' });
});

afterAll(async () => {
  await worker?.stop();
  await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  await removeDataDir(dataDir);
});

describe('a deploy to a gateway that does not answer', () => {
  it('fails the deployment in words and the environment with it; after a start the version deploys', async () => {
    const up = await t.ownerCaller.artifacts.upload({ tenantId: t.tenant.id, name: 'hmi', kind: 'project', body: Readable.from([await buildProjectExport({ title: 'HMI' })]) });
    const engine = new Docker();
    const [found] = await engine.listContainers({ filters: { label: [`io.switchyard.tenant=${t.tenant.slug}`, 'io.switchyard.environment=gw'] } });
    // Stopped behind Switchyard's back: the database still says running, so the deploy is accepted.
    await engine.getContainer(found!.Id).stop({ t: 1 });

    const queued = await t.ownerCaller.deployments.deploy({ ...ref, versionId: up.version.id });
    const job = await finishedJob(t.ownerCaller, ref, 2);
    expect(job).toMatchObject({ kind: 'deploy', status: 'failed', error: expect.stringMatching(/^the gateway did not answer the project import: .*is it running\?$/) });
    expect(job.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['download:done', 'import:failed']);
    const [deployment] = await t.ownerCaller.deployments.list(ref);
    expect(deployment).toMatchObject({ id: queued.id, status: 'failed', error: job.error });
    expect(await t.ownerCaller.environments.get(ref)).toMatchObject({ status: 'failed', lastError: job.error });

    await t.ownerCaller.environments.start(ref);
    expect(await finishedJob(t.ownerCaller, ref, 3)).toMatchObject({ kind: 'start', status: 'succeeded' });
    await t.ownerCaller.deployments.deploy({ ...ref, versionId: up.version.id });
    expect(await finishedJob(t.ownerCaller, ref, 4)).toMatchObject({ kind: 'deploy', status: 'succeeded' });
    expect(await t.ownerCaller.environments.get(ref)).toMatchObject({ status: 'running', lastError: null });
    expect((await t.ownerCaller.deployments.list(ref)).map((d) => d.status)).toEqual(['succeeded', 'failed']);
  });
});
