// The reconciler's sweep on the real engine with simulator gateways: drift found and repaired under 'repair',
// reported only under 'report', orphans left alone, one broken environment not stopping the rest, bad input.
// Events and reconnection: reconciler-watch.test.ts.
import { writeFile } from 'node:fs/promises';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerTry } from '@/e2e/gateway-sim/docker-cli';
import { toEngineRequests, type StackPlan } from '@/lib/gateway';
import { DockerRuntime } from '@/server/runtime';
import { Reconciler, type DesiredEnvironment, type EnvironmentReport, type SweepReport } from '@/server/reconciler';
import { waitForState } from './helpers/gateway-http';
import { RuntimeFixture, SIM_IMAGE } from './helpers/runtime-fixture';

const fixture = new RuntimeFixture();
const MIB = 1024 ** 2;
const NAMES = ['removed', 'stopped', 'changed', 'reported', 'halt', 'gone'] as const;
const plans = {} as Record<(typeof NAMES)[number], StackPlan>;
let desired: DesiredEnvironment[] = [];
const reports: SweepReport[] = [];
const reconciler = new Reconciler({
  runtime: fixture.runtime,
  docker: fixture.engine,
  desired: async () => desired,
  onReport: (report) => void reports.push(report),
  repairBackoff: { baseMs: 10, maxMs: 20 },
  stopTimeoutSeconds: 2,
});

const environment = (name: string, plan: StackPlan, overrides: Partial<DesiredEnvironment> = {}): DesiredEnvironment => ({
  environmentId: `env-${name}`, tenant: fixture.tenant, site: 'main', plan, desiredState: 'running', policy: 'repair', ...overrides,
});
const containerOf = (plan: StackPlan) => plan.services[0]!.containerName;
const state = async (plan: StackPlan) => (await fixture.runtime.inspect(containerOf(plan))).state;
const cli = async (...args: string[]) => expect((await dockerTry(args)).code).toBe(0);

function reportOf(report: SweepReport, name: string): EnvironmentReport {
  const found = report.environments.find((entry) => entry.environmentId === `env-${name}`);
  if (!found) throw new Error(`no report for env-${name} in ${JSON.stringify(report.environments.map((entry) => entry.environmentId))}`);
  return found;
}

beforeAll(async () => {
  await fixture.setup();
  // One after another: concurrent first provisions of one site can each create its network (Docker 20.10 races).
  for (const name of NAMES) {
    plans[name] = await fixture.plan('main', name);
    await fixture.runtime.provision(plans[name], { secretValues: fixture.secretsFor(plans[name], `pw-${name}`) });
  }
});

afterAll(async () => {
  await reconciler.stop();
  await fixture.cleanup();
});

describe('Reconciler sweep', () => {
  it('re-creates a container removed by hand, while an environment whose image is missing fails on its own', async () => {
    const broken = await fixture.plan('main', 'broken', { image: 'switchyard/no-such-image:0.0.0' });
    await writeFile(broken.secrets[0]!.source, 'pw-broken\n', { mode: 0o600 });
    desired = [environment('broken', broken), environment('removed', plans.removed)];
    await cli('rm', '--force', containerOf(plans.removed));

    const report = await reconciler.sweep();

    expect(report.error).toBeUndefined();
    expect(reportOf(report, 'removed').drift).toEqual([expect.objectContaining({ kind: 'missing', container: containerOf(plans.removed), state: null })]);
    expect(reportOf(report, 'removed').actions).toEqual([expect.objectContaining({ kind: 'provision', outcome: 'done' })]);
    const failed = reportOf(report, 'broken').actions;
    expect(failed).toEqual([expect.objectContaining({ kind: 'provision', outcome: 'failed', errorCode: 'IMAGE_MISSING' })]);
    expect(failed[0]!.error).toContain('switchyard/no-such-image:0.0.0');
    expect(report.counts).toMatchObject({ environments: 2, drifted: 2, drift: 2, actionsDone: 1, actionsFailed: 1, errors: 0 });
    expect(await state(plans.removed)).toBe('running');
    expect(reports.at(-1)).toBe(report);

    desired = [environment('removed', plans.removed)];
    expect(reportOf(await reconciler.sweep(), 'removed')).toMatchObject({ drift: [], actions: [] });
  });

  it('starts a container stopped by hand again', async () => {
    desired = [environment('stopped', plans.stopped)];
    await cli('stop', '--time', '1', containerOf(plans.stopped));

    const report = reportOf(await reconciler.sweep(), 'stopped');

    expect(report.drift).toEqual([expect.objectContaining({ kind: 'stopped', state: 'exited' })]);
    expect(report.actions).toEqual([expect.objectContaining({ kind: 'start', outcome: 'done' })]);
    expect(await state(plans.stopped)).toBe('running');
  });

  it('names the field of a container re-created outside Switchyard, and under repair puts the planned one back', async () => {
    const name = containerOf(plans.changed);
    const [planned] = toEngineRequests(plans.changed).containers;
    await cli('rm', '--force', name);
    const body = { ...planned!.body, HostConfig: { ...planned!.body.HostConfig, Memory: 768 * MIB } };
    await (await fixture.engine.createContainer({ name, ...body })).start();
    // Until the simulator (PID 1) has installed its SIGTERM handler, a stop waits for the full timeout.
    await waitForState(fixture.baseUrl(plans.changed), 'RUNNING');
    desired = [environment('changed', plans.changed, { policy: 'report' })];

    const reported = reportOf(await reconciler.sweep(), 'changed');
    expect(reported.drift).toEqual([expect.objectContaining({ kind: 'changed', container: name, fields: ['memory'] })]);
    expect(reported.drift[0]!.detail).toContain('memory');
    expect(reported.actions).toEqual([]);
    expect((await fixture.engine.getContainer(name).inspect()).HostConfig.Memory).toBe(768 * MIB);

    desired = [environment('changed', plans.changed)];
    const repaired = reportOf(await reconciler.sweep(), 'changed');
    expect(repaired.actions).toEqual([expect.objectContaining({ kind: 'provision', outcome: 'done' })]);
    expect((await fixture.engine.getContainer(name).inspect()).HostConfig.Memory).toBe(plans.changed.services[0]!.memoryBytes);
    expect(reportOf(await reconciler.sweep(), 'changed').drift).toEqual([]);
  });

  it("repairs nothing under the 'report' policy, nor when policyFor says report or a job is at work", async () => {
    desired = [environment('reported', plans.reported, { policy: 'report' })];
    await cli('stop', '--time', '1', containerOf(plans.reported));

    const report = reportOf(await reconciler.sweep(), 'reported');
    expect(report).toMatchObject({ policy: 'report', actions: [], drift: [expect.objectContaining({ kind: 'stopped', state: 'exited' })] });
    expect(await state(plans.reported)).toBe('exited');

    const reportOnly = new Reconciler({ runtime: fixture.runtime, docker: fixture.engine, desired: async () => [environment('reported', plans.reported)], policyFor: () => 'report' });
    expect(reportOf(await reportOnly.sweep(), 'reported')).toMatchObject({ policy: 'report', actions: [] });

    desired = [environment('reported', plans.reported, { jobInProgress: true })];
    const busy = reportOf(await reconciler.sweep(), 'reported');
    expect(busy.actions).toEqual([expect.objectContaining({ kind: 'start', outcome: 'skipped', detail: expect.stringContaining('a job is working') })]);
    expect(await state(plans.reported)).toBe('exited');
  });

  it('stops a gateway desired stopped, and removes one desired absent keeping its data volume', async () => {
    desired = [environment('halt', plans.halt, { desiredState: 'stopped' }), environment('gone', plans.gone, { desiredState: 'absent' })];

    const report = await reconciler.sweep();

    expect(reportOf(report, 'halt')).toMatchObject({ drift: [expect.objectContaining({ kind: 'running' })], actions: [expect.objectContaining({ kind: 'stop', outcome: 'done' })] });
    expect(reportOf(report, 'gone')).toMatchObject({ drift: [expect.objectContaining({ kind: 'present' })], actions: [expect.objectContaining({ kind: 'destroy', outcome: 'done' })] });
    expect(await state(plans.halt)).toBe('exited');
    const left = await fixture.leftovers('main', 'gone');
    expect(left.containers).toEqual([]);
    expect(left.volumes).toEqual([plans.gone.volumes[0]!.name]);

    // Missing while desired stopped: re-creating would start it, so it is reported and left for the next start.
    await cli('rm', '--force', containerOf(plans.halt));
    const missing = reportOf(await reconciler.sweep(), 'halt');
    expect(missing.drift).toEqual([expect.objectContaining({ kind: 'missing' })]);
    expect(missing.actions).toEqual([expect.objectContaining({ kind: 'provision', outcome: 'skipped' })]);
    expect((await fixture.leftovers('main', 'halt')).containers).toEqual([]);
  });

  it('reports a labelled container no environment owns as an orphan and leaves it alone; an unplanned one of an environment is drift', async () => {
    const owner = { 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.site': 'main' };
    const labels = (environmentName: string) => ({ ...fixture.resources.labels, ...owner, 'io.switchyard.environment': environmentName });
    const orphan = await fixture.engine.createContainer({ name: `sy-${fixture.tenant}-ghost`, Image: SIM_IMAGE, Labels: labels('ghost') });
    const extra = await fixture.engine.createContainer({ name: `sy-${fixture.tenant}-stopped-extra`, Image: SIM_IMAGE, Labels: labels('stopped') });
    desired = [environment('stopped', plans.stopped, { policy: 'report' })];

    try {
      const report = await reconciler.sweep();

      const mine = report.orphans.filter((entry) => entry.owner['io.switchyard.tenant'] === fixture.tenant);
      // The other environments of this file are not desired in this sweep: they are orphans too.
      expect(mine).toContainEqual({
        id: orphan.id, name: `sy-${fixture.tenant}-ghost`, state: 'created', createdAt: expect.any(Date),
        owner: { 'io.switchyard.tenant': fixture.tenant, 'io.switchyard.site': 'main', 'io.switchyard.environment': 'ghost' },
      });
      expect(mine.map((entry) => entry.name)).not.toContain(`sy-${fixture.tenant}-stopped-extra`);
      expect(mine.map((entry) => entry.name)).not.toContain(containerOf(plans.stopped));
      expect(report.counts.orphans).toBe(report.orphans.length);
      expect(reportOf(report, 'stopped').drift).toEqual([expect.objectContaining({ kind: 'unplanned', container: `sy-${fixture.tenant}-stopped-extra`, state: 'created' })]);

      // Even under repair neither is touched.
      desired = [environment('stopped', plans.stopped)];
      expect(reportOf(await reconciler.sweep(), 'stopped').actions).toEqual([]);
      expect((await orphan.inspect()).State.Status).toBe('created');
      expect((await extra.inspect()).State.Status).toBe('created');
    } finally {
      await Promise.all([orphan.remove(), extra.remove()]);
    }
  });
});

describe('Reconciler bad input', () => {
  it('reports an environment it cannot compare by name and field, and compares the others', async () => {
    desired = [
      environment('stopped', plans.stopped),
      { ...environment('odd', plans.stopped), desiredState: 'paused' as never },
      { ...environment('nopolicy', plans.stopped), policy: 'fix-it' as never },
      environment('empty', { ...plans.stopped, services: [] }),
    ];
    const report = await reconciler.sweep();
    expect(reportOf(report, 'odd').error).toMatch(/env-odd .*desiredState "paused" is not one of running, stopped, absent/);
    expect(reportOf(report, 'nopolicy').error).toMatch(/policy "fix-it" is not one of repair, report/);
    expect(reportOf(report, 'empty').error).toMatch(/plan has no containers/);
    expect(reportOf(report, 'stopped')).toMatchObject({ drift: [], actions: [] });
    expect(reportOf(report, 'odd').actions).toEqual([]);
    expect(report.counts.errors).toBe(3);
  });

  it('reports an unreadable desired state and an unreachable engine instead of throwing', async () => {
    const failing = new Reconciler({ runtime: fixture.runtime, docker: fixture.engine, desired: () => Promise.reject(new Error('database is down')) });
    const unreadable = await failing.sweep();
    expect(unreadable).toMatchObject({ error: 'nothing was compared: database is down', environments: [], orphans: [] });
    expect(unreadable.counts).toMatchObject({ environments: 0, drift: 0, orphans: 0 });

    const nowhere = new Docker({ socketPath: '/nonexistent/docker.sock' });
    const offline = new Reconciler({ runtime: new DockerRuntime(nowhere), docker: nowhere, desired: async () => [environment('stopped', plans.stopped)] });
    const unreachable = await offline.sweep();
    expect(unreachable.error).toMatch(/^nothing was compared: runtime unavailable: .*\/nonexistent\/docker\.sock/);
    expect(unreachable.environments).toEqual([]);
  });
});
