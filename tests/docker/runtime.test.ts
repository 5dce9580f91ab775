// The Docker GatewayRuntime on the real engine with the simulator image: provision to healthy, observe, operate,
// change the memory keeping data, destroy with and without the data volume. Failures: runtime-failures.test.ts.
import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackPlan } from '@/lib/gateway';
import type { LogLine, StepEvent } from '@/server/runtime';
import { gatewayApi, waitFor } from './helpers/gateway-http';
import { API_TOKEN, RuntimeFixture, SIM_IMAGE, nothing } from './helpers/runtime-fixture';
import { makeZip } from './helpers/zip-files';

const ADMIN_PASSWORD = 'runtime-admin-pw-91d';
const GIB = 1024 ** 3;
const fixture = new RuntimeFixture();
const runtime = fixture.runtime;
let plan: StackPlan;
let name: string;
const api = () => gatewayApi(fixture.baseUrl(plan), API_TOKEN);

beforeAll(async () => {
  await fixture.setup();
  plan = await fixture.plan('main', 'dev');
  name = plan.services[0]!.containerName;
});

afterAll(() => fixture.cleanup());

describe('DockerRuntime lifecycle', () => {
  it('completes a half-created environment (network present, nothing else) to a healthy gateway, step by step', async () => {
    // The site network exists already (test label added so cleanup finds it); the runtime must use it as it is.
    await fixture.engine.createNetwork({ Name: plan.network.name, Driver: 'bridge', Labels: { ...plan.network.labels, ...fixture.resources.labels } });
    const events: StepEvent[] = [];
    const result = await runtime.provision(plan, { secretValues: fixture.secretsFor(plan, ADMIN_PASSWORD), onStep: (event) => events.push(event) });

    const final = events.filter((event) => event.status !== 'running');
    expect(final.map((event) => [event.step, event.status])).toEqual([
      ['network', 'skipped'], ['volumes', 'done'], ['secrets', 'done'], ['image', 'skipped'], ['create', 'done'], ['start', 'done'], ['healthy', 'done'],
    ]);
    expect(events.filter((event) => event.status === 'running')).toHaveLength(7);
    expect(final.every((event) => event.durationMs >= 0 && event.startedAt instanceof Date)).toBe(true);
    expect(result.steps).toEqual(final);

    const [status] = result.containers;
    expect(status).toMatchObject({ name, state: 'running', health: 'healthy', image: SIM_IMAGE, exitCode: null });
    expect(status!.ports).toEqual([{ container: 8088, host: plan.services[0]!.ports[0]!.host, hostIp: '127.0.0.1' }]);
    expect(status!.labels).toMatchObject({ 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.environment': 'dev', 'io.switchyard.test': '1' });
    // RUNNING needs the admin password: only the secret file written by the runtime can have supplied it.
    expect(await api().json('gateway-info')).toMatchObject({ name: 'gw', state: 'RUNNING' });
    const secretFile = await stat(plan.secrets[0]!.source);
    expect([secretFile.mode & 0o777, secretFile.uid]).toEqual([0o600, 2003]);
  });

  it('provisioning the same plan again changes nothing', async () => {
    const before = await runtime.inspect(name);
    const again = await runtime.provision(plan, { secretValues: fixture.secretsFor(plan, ADMIN_PASSWORD) });
    expect(again.steps.map((event) => event.status)).toEqual(Array(7).fill('skipped'));
    expect(again.containers[0]).toMatchObject({ id: before.id, startedAt: before.startedAt });
  });

  it('lists managed containers by label, samples stats and reads the log tail', async () => {
    const managed = await runtime.listManaged({ 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.environment': 'dev' });
    expect(managed).toEqual([expect.objectContaining({ name, state: 'running', health: 'healthy', image: SIM_IMAGE })]);
    expect(managed[0]!.labels['io.switchyard.managed-by']).toBe('switchyard');
    expect(await runtime.listManaged({ 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.environment': 'prod' })).toEqual([]);

    const stats = await runtime.stats(name);
    expect(stats.memoryLimitBytes).toBe(GIB);
    expect(stats.memoryUsedBytes).toBeGreaterThan(1024 * 1024);
    expect(stats.memoryUsedBytes).toBeLessThan(GIB);
    expect(stats.cpuPercent).toBeGreaterThanOrEqual(0);

    const lines = await runtime.logs(name, { tail: 3 });
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.time instanceof Date && line.text.length > 0)).toBe(true);
    const all = await runtime.logs(name, { tail: 1000 });
    expect(all.some((line) => line.text.includes('first start on this data volume'))).toBe(true);
  });

  it('follows the log as it is written and stops when aborted', async () => {
    const abort = new AbortController();
    const seen: LogLine[] = [];
    const marker = `marker${Date.now()}`;
    const reading = (async () => {
      for await (const line of runtime.followLogs(name, { tail: 0, signal: abort.signal })) seen.push(line);
    })();
    await waitFor('the marker request in the followed log', async () => {
      await fetch(`${fixture.baseUrl(plan)}/system/gwinfo?${marker}`);
      return seen.some((line) => line.text.includes(marker)) ? true : undefined;
    }, 10_000);
    abort.abort();
    await reading; // ends without an error
    expect(seen.every((line) => line.stream === 'stdout' && line.time instanceof Date)).toBe(true);
  });

  it('restarts: a new start time, healthy again', async () => {
    const before = await runtime.inspect(name);
    const [after] = await runtime.restart(plan, { timeoutSeconds: 5 });
    expect(after).toMatchObject({ id: before.id, state: 'running', health: 'healthy' });
    expect(after!.startedAt!.getTime()).toBeGreaterThan(before.startedAt!.getTime());
  });

  it('stops and starts', async () => {
    const [stopped] = await runtime.stop(plan, { timeoutSeconds: 5 });
    expect(stopped).toMatchObject({ state: 'exited', startedAt: null, exitCode: 0 });
    await expect(runtime.stats(name)).resolves.toMatchObject({ cpuPercent: 0 });
    const [started] = await runtime.start(plan);
    expect(started).toMatchObject({ state: 'running', health: 'healthy' });
  });

  it('re-creates with a new memory limit and keeps the data volume', async () => {
    const project = await makeZip({ 'project.json': JSON.stringify({ title: 'Kept Across' }), 'ignition/script-python/a/code.py': 'x = 1\n' });
    expect((await api().post('projects/import/KeptAcross', project)).status).toBe(200);
    const before = await runtime.inspect(name);

    const samePort = { http: { host: plan.services[0]!.ports[0]!.host, hostIp: '127.0.0.1' } };
    const bigger = await fixture.plan('main', 'dev', { memory: '1536MiB', ports: samePort });
    const result = await runtime.provision(bigger);
    const create = result.steps.find((event) => event.step === 'create')!;
    expect(create).toMatchObject({ status: 'done', detail: expect.stringContaining('memory') });
    expect(result.containers[0]!.id).not.toBe(before.id);
    expect((await fixture.engine.getContainer(name).inspect()).HostConfig.Memory).toBe(1536 * 1024 * 1024);
    plan = bigger;

    const projects = await api().json<{ items: { name: string }[] }>('projects/list');
    expect(projects.items.map((item) => item.name)).toEqual(['KeptAcross']);
    // The replaced container is gone, not parked under another name.
    expect((await fixture.leftovers('main', 'dev')).containers).toEqual([name]);
  });

  it('destroys keeping the data volume; a later provision finds the data again', async () => {
    const removed = await runtime.destroy(plan, { keepVolumes: true, timeoutSeconds: 5 });
    expect(removed).toEqual({ containers: [name], volumes: [], network: plan.network.name });
    expect(await fixture.leftovers('main', 'dev')).toEqual({ ...nothing, volumes: [plan.volumes[0]!.name] });
    await expect(runtime.inspect(name)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(name) });

    await runtime.provision(plan);
    const projects = await api().json<{ items: { name: string }[] }>('projects/list');
    expect(projects.items.map((item) => item.name)).toEqual(['KeptAcross']);
  });

  it('destroys everything: nothing with the environment\'s labels remains, and destroying again is a no-op', async () => {
    const removed = await runtime.destroy(plan, { timeoutSeconds: 5 });
    expect(removed).toEqual({ containers: [name], volumes: [plan.volumes[0]!.name], network: plan.network.name });
    expect(await fixture.leftovers('main', 'dev')).toEqual(nothing);
    expect(await runtime.destroy(plan)).toEqual({ containers: [], volumes: [], network: null });
    await expect(runtime.start(plan)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('provision the environment first') });
  });
});

describe('DockerRuntime site network', () => {
  it('is shared by the site\'s environments and removed with the last one', async () => {
    const [first, second] = [await fixture.plan('shared', 'dev'), await fixture.plan('shared', 'prod')];
    expect(first.network.name).toBe(second.network.name);
    for (const each of [first, second]) await runtime.provision(each, { secretValues: fixture.secretsFor(each, ADMIN_PASSWORD), waitHealthy: false });

    expect(await runtime.destroy(first, { timeoutSeconds: 2 })).toMatchObject({ network: null });
    expect((await fixture.leftovers('shared', 'prod')).networks).toEqual([first.network.name]);
    await runtime.stop(second, { timeoutSeconds: 2 }); // a stopped container still uses the network
    expect(await runtime.destroy(first)).toEqual({ containers: [], volumes: [], network: null });
    expect(await runtime.destroy(second, { timeoutSeconds: 2 })).toMatchObject({ network: first.network.name });
    expect(await fixture.leftovers('shared', 'prod')).toEqual(nothing);
  });
});
