// A local project as an engineer keeps it: a switchyard.yaml that names no files, and a module and the admin
// password dropped into modules/ and secrets/. They are wired in, mounted, and the gateway sees them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecFile, planStack, type StackPlan } from '@/lib/gateway';
import { DockerRuntime } from '@/server/runtime';
import { gatewayApi, waitForState } from './helpers/gateway-http';
import { freePort } from './helpers/ports';
import { API_TOKEN, SIM_IMAGE, SIM_VERSION } from './helpers/runtime-fixture';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { TestDocker } from './helpers/test-docker';
import { makeModule } from './helpers/zip-files';

const MODULE_ID = 'com.example.dropped-in';
const resources = new TestDocker();
const runtime = new DockerRuntime(new Docker());
let plan: StackPlan | undefined;

beforeAll(async () => {
  await ensureSimulatorImage(SIM_VERSION);
});

afterAll(async () => {
  try {
    if (plan) await runtime.destroy(plan, { keepVolumes: false });
  } finally {
    await resources.cleanup();
  }
});

describe('a project folder', () => {
  it('mounts the module and secret it holds without the spec naming them, and the gateway uses both', async () => {
    const port = await freePort();
    const root = await resources.folder({
      'modules/dropped-in.modl': await makeModule({ id: MODULE_ID, name: 'Dropped in', version: '1.0.0', requiredIgnitionVersion: '8.3.0' }),
      'secrets/gateway-admin-password': 'dropped-in-password',
    });
    await writeFile(path.join(root, 'switchyard.yaml'), [
      'name: line-1', `version: ${SIM_VERSION}`, `image: ${SIM_IMAGE}`, 'acceptEula: true', 'memory: 1GiB',
      `ports: { http: { host: ${port}, hostIp: 127.0.0.1 } }`,
      `modules: { accept: [${MODULE_ID}] }`,
      `environment: { SIM_API_TOKEN: ${API_TOKEN}, SIM_STARTUP_DELAY_MS: "100" }`,
      'healthcheck: { interval: 1s, timeout: 2s, retries: 2, startPeriod: 0s }', '',
    ].join('\n'));

    const loaded = await loadSpecFile(path.join(root, 'switchyard.yaml'));
    expect(loaded.wiring.filter((n) => n.action === 'wired').map((n) => n.field).sort()).toEqual(['modules.files', 'secrets.adminPassword']);
    plan = planStack(loaded.stack, { projectRoot: loaded.projectRoot, scope: { kind: 'project', project: `wire-${resources.runId}` }, labels: resources.labels });

    await runtime.provision(plan, { healthTimeoutMs: 60_000 });
    const baseUrl = `http://127.0.0.1:${port}`;
    // Without the admin password from secrets/ the gateway would stay COMMISSIONING.
    expect(await waitForState(baseUrl, 'RUNNING', 30_000)).toBe('RUNNING');
    const healthy = await gatewayApi(baseUrl, API_TOKEN).json<{ items: { id: string }[] }>('modules/healthy');
    expect(healthy.items.map((m) => m.id)).toContain(MODULE_ID);
  });
});
