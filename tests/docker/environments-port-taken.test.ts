// A host port held by a process outside Switchyard: the provision moves the gateway to the next free port of the
// range (and says so as a step) instead of failing; when every port of the range is held, it fails in words and
// leaves nothing behind.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import type { Worker } from '@/server/jobs/worker';
import { makeTenant } from '../helpers/db';
import { finishedJob, isolateEnvironmentConfig, removeDataDir, startTestWorker } from '../integration/environments-fixture';
import { statusPing } from './helpers/gateway-http';
import { leftovers, removeLabelled } from './helpers/labelled';
import { SIM_IMAGE, SIM_VERSION, fastSimulatorSpec } from './helpers/runtime-fixture';

// A base no other suite uses: the squatters below hold real ports, which would move another suite's gateway.
const PORT_LOW = 35_000 + Math.floor(Math.random() * 200) * 10;
const spec = fastSimulatorSpec();

let dataDir: string;
let worker: Worker;
let t: Awaited<ReturnType<typeof makeTenant>>;
let siteId: string;
const squatters: Server[] = [];

/** Something that is not Switchyard listening on the port, as another service on the host would. */
async function occupy(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '0.0.0.0', resolve));
  squatters.push(server);
}

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 2}` });
  worker = await startTestWorker({ healthTimeoutMs: 30_000 });
  t = await makeTenant('porttaken');
  siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
});

afterAll(async () => {
  await worker?.stop();
  await Promise.all(squatters.map((s) => new Promise((r) => s.close(r))));
  await removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`);
  await removeDataDir(dataDir);
});

describe('a host port held outside Switchyard', () => {
  it('moves the gateway to the next free port and runs it there', async () => {
    await occupy(PORT_LOW);
    const ref = { tenantId: t.tenant.id, siteId, environment: 'moved' };
    const created = await t.ownerCaller.environments.create({ ...ref, name: 'moved', stage: 'dev', spec });
    expect(created.environment.httpPort).toBe(PORT_LOW);
    const job = await finishedJob(t.ownerCaller, ref, 1);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.steps.find((s) => s.name === 'port')).toMatchObject({ status: 'done', detail: `host port ${PORT_LOW} is held by something outside Switchyard; moved to ${PORT_LOW + 1}` });
    const env = await t.ownerCaller.environments.get(ref);
    expect(env).toMatchObject({ status: 'running', httpPort: PORT_LOW + 1 });
    expect(await statusPing(`http://127.0.0.1:${PORT_LOW + 1}`)).toBe('RUNNING');
  });

  it('fails in words when every free port of the range is held, leaving nothing behind', async () => {
    await occupy(PORT_LOW + 2);
    const ref = { tenantId: t.tenant.id, siteId, environment: 'nowhere' };
    // The range's last port is free in the database (the first is free again too: the move released it).
    await t.ownerCaller.environments.create({ ...ref, name: 'nowhere', stage: 'dev', spec });
    const job = await finishedJob(t.ownerCaller, ref, 1);
    expect(job.status).toBe('rolled_back');
    expect(job.error).toBe(`No free host port: all 3 ports of SWITCHYARD_PORT_RANGE (${PORT_LOW}-${PORT_LOW + 2}) are in use (${PORT_LOW}, ${PORT_LOW + 2} held by something outside Switchyard). Tear down an environment, free those ports or widen the range.`);
    expect(job.steps.filter((s) => s.name === 'port').map((s) => s.status)).toEqual(['done', 'failed']);
    expect(await leftovers(`io.switchyard.tenant=${t.tenant.slug}`, 'io.switchyard.environment=nowhere')).toEqual({ containers: [], volumes: [], networks: [] });
  });
});
