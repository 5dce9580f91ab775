// One gateway spec, two results: the Compose file a user downloads and the containers the control plane
// creates through the Engine API. This creates a two-gateway stack from toEngineRequests(plan) with dockerode,
// on the simulator image, and checks the containers against the rendered Compose file and the simulator's API.
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import {
  composeServiceToComparable, parseStack, planStack, renderCompose, toEngineRequests,
  type ComparableService, type EngineRequests, type StackPlan,
} from '@/lib/gateway';
import { gatewayApi, waitFor } from './helpers/gateway-http';
import { TestDocker } from './helpers/test-docker';
import { freePort } from './helpers/ports';
import { makeModule, makeZip } from './helpers/zip-files';

const TOKEN = 'spec-engine-token-4b1';
const ADMIN_PASSWORD = 'spec-engine-admin-77e';
const MODULE_ID = 'com.example.sim-module';
const engine = new Docker();
const resources = new TestDocker();
let projectRoot: string;
const hostPorts: Record<string, number> = {};

/** The spec of the stack, as a user would write it in switchyard.yaml, for one simulator version. */
function spec(version: string) {
  const gateway = (name: string) => ({
    name,
    version,
    image: `switchyard/gateway-sim:${version}`,
    acceptEula: true,
    memory: '1GiB',
    cpus: 0.5,
    ports: { http: { host: hostPorts[name], hostIp: '127.0.0.1' } },
    modules: { files: ['modules/sim-module.modl'], accept: [MODULE_ID] },
    secrets: { adminPassword: 'secrets/gateway-admin-password' },
    environment: { SIM_API_TOKEN: TOKEN, SIM_STARTUP_DELAY_MS: 200 },
    healthcheck: { interval: '1s', timeout: '3s', retries: 3, startPeriod: '0s' },
    labels: { 'com.example.cost-centre': '4711' },
  });
  return { gateways: [gateway('alpha'), gateway('beta')] };
}

function plan(version: string): StackPlan {
  return planStack(parseStack(spec(version)), {
    projectRoot,
    scope: { kind: 'project', project: `simtest-${resources.runId}` },
    labels: resources.labels,
  });
}

/** Creates what the requests describe through the Engine API and starts the containers in order. */
async function createThroughEngine(requests: EngineRequests, options: { network: boolean }) {
  if (options.network) {
    // The test label on the network too, so cleanup finds it; the body is otherwise the planned one.
    for (const network of requests.networks) await engine.createNetwork({ ...network, Labels: { ...network.Labels, ...resources.labels } });
    for (const volume of requests.volumes) await engine.createVolume(volume);
  }
  for (const { name, body } of requests.containers) {
    const container = await engine.createContainer({ name, ...body });
    await container.start();
  }
}

async function waitHealthy(containerName: string) {
  await waitFor(`${containerName} to be healthy`, async () => {
    const info = await engine.getContainer(containerName).inspect();
    return info.State.Health?.Status === 'healthy' ? true : undefined;
  }, 30_000);
}

async function removeContainers(requests: EngineRequests) {
  for (const { name } of requests.containers) await engine.getContainer(name).remove({ force: true });
}

const apiOf = (gateway: string) => gatewayApi(`http://127.0.0.1:${hostPorts[gateway]}`, TOKEN);

beforeAll(async () => {
  await Promise.all([ensureSimulatorImage('8.3.4'), ensureSimulatorImage('8.3.5')]);
  for (const name of ['alpha', 'beta']) hostPorts[name] = await freePort();
  projectRoot = await resources.folder({
    'secrets/gateway-admin-password': `${ADMIN_PASSWORD}\n`,
    'modules/sim-module.modl': await makeModule({ id: MODULE_ID, name: 'Sim Module', version: '1.0.0', requiredIgnitionVersion: '8.3.0' }),
  });
});

afterAll(() => resources.cleanup());

describe('a spec stack created through the Engine API on the simulator image', () => {
  it('comes up healthy, matches the Compose file, sees its secret and module, and keeps data across re-creation and an upgrade', async () => {
    const first = plan('8.3.4');
    const requests = toEngineRequests(first);
    expect(requests.containers.map((c) => c.service)).toEqual(['alpha', 'beta']);
    await createThroughEngine(requests, { network: true });
    for (const { name } of requests.containers) await waitHealthy(name);

    const compose = renderCompose(first);
    for (const service of first.services) {
      const expected = composeServiceToComparable(compose, service.key, projectRoot);
      const actual = await inspectAsComparable(service.containerName, first.network.name);
      expect(actual).toEqual({ ...expected, aliases: expect.arrayContaining(expected.aliases) });
    }

    for (const gateway of ['alpha', 'beta']) {
      // RUNNING needs an admin password: only the secret file mounted through the plan can have supplied it.
      const info = await apiOf(gateway).json('gateway-info');
      expect(info).toMatchObject({ name: gateway, version: '8.3.4', state: 'RUNNING', maxHeapMb: 768 }); // -m: 75% of 1GiB
      const healthy = await apiOf(gateway).json<{ items: { id: string }[] }>('modules/healthy');
      expect(healthy.items.map((m) => m.id)).toEqual([MODULE_ID]);
    }
    const secretInside = await resources.exec(first.services[0]!.containerName, ['node', '-e', 'process.stdout.write(require("fs").readFileSync(process.env.GATEWAY_ADMIN_PASSWORD_FILE, "utf8"))']);
    expect(secretInside).toBe(ADMIN_PASSWORD);

    const project = await makeZip({ 'project.json': JSON.stringify({ title: 'Spec Kept' }), 'ignition/script-python/a/code.py': 'x = 1\n' });
    expect((await apiOf('alpha').post('projects/import/SpecKept', project)).status).toBe(200);

    await removeContainers(requests);
    const upgraded = plan('8.3.5');
    expect(upgraded.volumes.map((v) => v.name)).toEqual(first.volumes.map((v) => v.name)); // same names: data found again
    const upgradeRequests = toEngineRequests(upgraded);
    await createThroughEngine(upgradeRequests, { network: false });
    for (const { name } of upgradeRequests.containers) await waitHealthy(name);

    expect(await apiOf('alpha').json('gateway-info')).toMatchObject({ name: 'alpha', version: '8.3.5' });
    const projects = await apiOf('alpha').json<{ items: { name: string; title: string }[] }>('projects/list');
    expect(projects.items).toEqual([expect.objectContaining({ name: 'SpecKept', title: 'Spec Kept' })]);
    expect((await apiOf('beta').json<{ items: unknown[] }>('projects/list')).items).toEqual([]); // each gateway its own volume
  }, 90_000);
});

/** A running container's inspect data in the shape the Compose file is reduced to; image defaults left out. */
async function inspectAsComparable(containerName: string, network: string): Promise<ComparableService> {
  const info = await engine.getContainer(containerName).inspect();
  const image = await engine.getImage(info.Config.Image).inspect();
  const imageEnv = new Set(image.Config.Env ?? []);
  const imageLabels = image.Config.Labels ?? {};
  const env = Object.fromEntries(
    (info.Config.Env ?? []).filter((entry) => !imageEnv.has(entry)).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
  const labels = Object.fromEntries(Object.entries(info.Config.Labels ?? {}).filter(([key, value]) => imageLabels[key] !== value));
  const check = info.Config.Healthcheck;
  const sorted = <T>(items: T[], key: (item: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  return {
    containerName: info.Name.replace(/^\//, ''),
    hostname: info.Config.Hostname,
    image: info.Config.Image,
    command: info.Config.Cmd ?? null,
    env: Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))),
    mounts: sorted(
      info.Mounts.map((mount) => ({
        type: mount.Type,
        source: mount.Type === 'volume' ? (mount.Name ?? '') : mount.Source,
        target: mount.Destination,
        readOnly: !mount.RW,
      })),
      (mount) => mount.target,
    ),
    nanoCpus: info.HostConfig.NanoCpus || null,
    memoryBytes: info.HostConfig.Memory || null,
    healthcheck: check
      ? { test: check.Test ?? [], intervalNs: check.Interval ?? 0, timeoutNs: check.Timeout ?? 0, retries: check.Retries ?? 0, startPeriodNs: check.StartPeriod ?? 0 }
      : null,
    labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))),
    restart: info.HostConfig.RestartPolicy?.Name ?? '',
    ports: Object.entries(info.HostConfig.PortBindings ?? {})
      .flatMap(([port, bindings]) => (bindings as { HostIp: string; HostPort: string }[]).map((b) => `${b.HostIp}:${b.HostPort}->${port}`))
      .sort(),
    exposed: Object.keys(info.Config.ExposedPorts ?? {}).sort(),
    network: Object.keys(info.NetworkSettings.Networks).join(','),
    aliases: info.NetworkSettings.Networks[network]?.Aliases ?? [],
  };
}

