// `environments.members` on the real engine with the simulator image: each gateway of a stack with its own port and
// its container's state and health; a member whose container is gone, an engine that does not answer, and other
// sites' people are answered in words, never with another site's environment.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { DockerRuntime } from '@/server/runtime';
import { environmentMembers } from '@/server/services/environments-members';
import { addMember, appDb, makeTenant } from '../helpers/db';
import { removeLabelled } from './helpers/labelled';
import { SIM_VERSION, stackMember } from './helpers/runtime-fixture';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { refusal } from '../integration/support/refusal';
import type { Worker } from '@/server/jobs/worker';

const PORT_LOW = 47_000 + Math.floor(Math.random() * 100) * 10;

let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let siteId: string;
let otherSiteViewer: Awaited<ReturnType<typeof addMember>>['caller'];
const ref = () => ({ tenantId: t.tenant.id, siteId, environment: 'pair' });

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  t = await makeTenant('members');
  siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  const otherSite = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'other', name: 'Other' })).id;
  otherSiteViewer = (await addMember(t.ownerCaller, t.tenant.id, null, [{ siteId: otherSite, role: 'viewer' }])).caller;
  await t.ownerCaller.environments.create({ ...ref(), name: 'pair', stage: 'dev', spec: { gateways: [stackMember('frontend'), stackMember('backend')] } });
  const provision = await finishedJob(t.ownerCaller, ref(), 1, 90_000);
  expect({ status: provision.status, error: provision.error }).toEqual({ status: 'succeeded', error: null });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  if (t) await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  if (dataDir) await removeDataDir(dataDir);
});

describe('environments.members', () => {
  it('answers every gateway of the stack in spec order, each running and healthy on its own port', async () => {
    const env = await t.ownerCaller.environments.get(ref());
    const { members, note } = await t.ownerCaller.environments.members(ref());
    expect(note).toBeNull();
    expect(members.map((m) => m.name)).toEqual(['frontend', 'backend']);
    for (const m of members) expect(m).toMatchObject({ state: 'running', health: 'healthy', port: env.ports[m.name], startedAt: expect.any(Date) });
    expect(new Set(members.map((m) => m.port)).size).toBe(2);
    const answers = await Promise.all(members.map((m) => fetch(`http://127.0.0.1:${m.port}/StatusPing`).then((r) => r.json())));
    expect(answers).toEqual([{ state: 'RUNNING' }, { state: 'RUNNING' }]);
  });

  it('an engine that does not answer: each member unknown, a note naming the outage, no error', async () => {
    const down = new DockerRuntime(new Docker({ host: '127.0.0.1', port: 1 }));
    const answer = await environmentMembers(appDb().db, down, { tenantId: t.tenant.id, siteId, name: 'pair' });
    expect(answer.members.map((m) => [m.name, m.state, m.health])).toEqual([['frontend', 'unknown', null], ['backend', 'unknown', null]]);
    expect(answer.note).toMatch(/runtime unavailable/);
  });

  it('another site\'s viewer and a made-up name get NOT_FOUND; a bad name is named', async () => {
    expect(await refusal(otherSiteViewer.environments.members(ref()))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(t.ownerCaller.environments.members({ ...ref(), environment: 'nothing-here' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(t.ownerCaller.environments.members({ ...ref(), environment: 'Not A Name' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('after a teardown: no members, and a note saying why', async () => {
    await t.ownerCaller.environments.delete({ ...ref(), confirm: 'pair' });
    expect((await finishedJob(t.ownerCaller, ref(), 2, 60_000)).status).toBe('succeeded');
    const answer = await t.ownerCaller.environments.members(ref());
    expect(answer).toEqual({ members: [], note: expect.stringMatching(/torn down/) });
  });
});
