// The reconciler watching the real engine: an engine event triggers a re-check of its environment long before the
// periodic sweep is due, and the watcher recovers when its event stream is cut or the engine is unreachable for a
// while (through a socket proxy this test controls, instead of restarting the shared dockerd).
import { rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerTry } from '@/e2e/gateway-sim/docker-cli';
import type { StackPlan } from '@/lib/gateway';
import { DockerRuntime } from '@/server/runtime';
import { Reconciler, type DesiredEnvironment, type SweepReport, type WatchChange } from '@/server/reconciler';
import { waitFor } from './helpers/gateway-http';
import { RuntimeFixture } from './helpers/runtime-fixture';

/** A unix socket in front of the engine's: cut() drops every connection, down() refuses new ones until up(). */
class EngineProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(readonly path: string, private readonly upstream: string) {}

  async up(): Promise<void> {
    await rm(this.path, { force: true });
    const server = createServer((client) => {
      const engine = connect(this.upstream);
      const close = () => [client, engine].forEach((socket) => (socket.destroy(), this.sockets.delete(socket)));
      for (const socket of [client, engine]) {
        this.sockets.add(socket);
        socket.on('error', close).on('close', close);
      }
      client.pipe(engine).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.path, resolve));
    this.server = server;
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const fixture = new RuntimeFixture();
const upstream = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock';
const proxy = new EngineProxy(join(tmpdir(), `switchyard-reconciler-${fixture.resources.runId}.sock`), upstream);
const plans: Record<string, StackPlan> = {};
const running: Reconciler[] = [];

const desiredOf = (name: string): DesiredEnvironment => ({
  environmentId: `env-${name}`, tenant: fixture.tenant, site: 'main', plan: plans[name]!, desiredState: 'running', policy: 'repair',
});
const containerOf = (name: string) => plans[name]!.services[0]!.containerName;
const cli = async (...args: string[]) => expect((await dockerTry(args)).code).toBe(0);

/** A watching reconciler of one environment, recording its reports and connection changes. */
function watchOne(name: string, docker: Docker) {
  const reports: SweepReport[] = [];
  const changes: WatchChange[] = [];
  const reconciler = new Reconciler({
    runtime: new DockerRuntime(docker),
    docker,
    desired: async () => [desiredOf(name)],
    onReport: (report) => void reports.push(report),
    onWatch: (change) => void changes.push(change),
    intervalMs: 10 * 60_000, // the periodic sweep never comes due in this test
    debounceMs: 100,
    reconnect: { initialMs: 100, maxMs: 400 },
    repairBackoff: { baseMs: 10, maxMs: 20 },
    stopTimeoutSeconds: 2,
  });
  running.push(reconciler);
  reconciler.watch();
  return { reports, changes };
}

/** The first report after `from` in which the environment's action of this kind was done. */
function repairedIn(reports: SweepReport[], from: number, trigger: SweepReport['trigger'], kind: string) {
  return () =>
    Promise.resolve(
      reports.slice(from).find((report) => report.trigger === trigger && report.environments.some((entry) => entry.actions.some((action) => action.kind === kind && action.outcome === 'done'))),
    );
}

const connectedCount = (changes: WatchChange[]) => changes.filter((change) => change.state === 'connected').length;
const state = async (name: string) => (await fixture.runtime.inspect(containerOf(name))).state;

beforeAll(async () => {
  await fixture.setup();
  await proxy.up();
  for (const name of ['events', 'cut']) {
    plans[name] = await fixture.plan('main', name);
    await fixture.runtime.provision(plans[name]!, { secretValues: fixture.secretsFor(plans[name]!, `pw-${name}`) });
  }
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((reconciler) => reconciler.stop()));
});

afterAll(async () => {
  await proxy.down();
  await rm(proxy.path, { force: true });
  await fixture.cleanup();
});

describe('Reconciler watching engine events', () => {
  it('re-checks an environment on its container events, without waiting for the periodic sweep', async () => {
    const { reports, changes } = watchOne('events', fixture.engine);
    await waitFor('the event stream to connect and the first sweep', async () => (connectedCount(changes) === 1 && reports.length > 0 ? true : undefined));
    expect(reports[0]).toMatchObject({ trigger: 'sweep', counts: expect.objectContaining({ drift: 0 }) });

    let from = reports.length;
    await cli('stop', '--time', '1', containerOf('events'));
    const restarted = await waitFor('an event re-check that starts the container', repairedIn(reports, from, 'event', 'start'));
    expect(restarted.scope).toEqual({ 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.site': 'main', 'io.switchyard.environment': 'events' });
    expect(restarted.environments).toEqual([expect.objectContaining({ environmentId: 'env-events', drift: [expect.objectContaining({ kind: 'stopped' })] })]);
    expect(await state('events')).toBe('running');

    from = reports.length;
    await cli('rm', '--force', containerOf('events'));
    await waitFor('an event re-check that re-creates the container', repairedIn(reports, from, 'event', 'provision'));
    expect(await state('events')).toBe('running');
    // Everything above came from events: the only full sweep is the one after connecting.
    expect(reports.filter((report) => report.trigger === 'sweep')).toHaveLength(1);
  });

  it('recovers when its event stream is cut, and sweeps after the engine was unreachable for a while', async () => {
    const docker = new Docker({ socketPath: proxy.path });
    const { reports, changes } = watchOne('cut', docker);
    await waitFor('the event stream to connect', async () => (connectedCount(changes) === 1 && reports.length > 0 ? true : undefined));

    proxy.cut();
    await waitFor('the watcher to reconnect after the cut', async () => (connectedCount(changes) === 2 ? true : undefined));
    expect(changes).toContainEqual(expect.objectContaining({ state: 'disconnected', retryInMs: expect.any(Number) }));
    let from = reports.length;
    await cli('stop', '--time', '1', containerOf('cut'));
    await waitFor('an event on the new stream to start the container', repairedIn(reports, from, 'event', 'start'));
    expect(await state('cut')).toBe('running');

    // The engine goes away: reopening fails and is retried; what happens meanwhile is found by the sweep after it.
    await proxy.down();
    await waitFor('a failed attempt to reopen the stream', async () =>
      changes.some((change) => change.reason?.startsWith('could not open the engine\'s event stream')) ? true : undefined);
    await cli('stop', '--time', '1', containerOf('cut'));
    from = reports.length;
    await proxy.up();
    await waitFor('the watcher to reconnect once the engine is back', async () => (connectedCount(changes) === 3 ? true : undefined));
    await waitFor('the sweep after reconnecting to start the container', repairedIn(reports, from, 'sweep', 'start'));
    expect(await state('cut')).toBe('running');
  });

  it('stop() ends watching: no more checks after it', async () => {
    const { reports, changes } = watchOne('events', fixture.engine);
    await waitFor('the event stream to connect', async () => (connectedCount(changes) === 1 && reports.length > 0 ? true : undefined));
    await running.pop()!.stop();
    const seen = reports.length;
    await cli('stop', '--time', '1', containerOf('events'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(reports).toHaveLength(seen);
    expect(await state('events')).toBe('exited');
  });
});
