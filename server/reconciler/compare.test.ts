// Desired against observed without an engine: ownership by labels, orphans, and the drift rules per desired state.
import { describe, expect, it } from 'vitest';
import { parseStack, planStack, type StackPlan } from '@/lib/gateway';
import type { ContainerState, HealthState, ManagedContainer } from '@/server/runtime';
import { assign, findDrift, invalidEnvironment, ownerOf } from './compare';
import type { DesiredEnvironment } from './types';

function planOf(environment: string, members: 'one' | 'two' = 'one'): StackPlan {
  const gateway = (name: string) => ({ name, version: '8.3.4', acceptEula: true, memory: '1GiB' });
  const spec = members === 'one' ? gateway('gw') : { gateways: [gateway('front'), gateway('back')] };
  return planStack(parseStack(spec), { projectRoot: '/srv/p', scope: { kind: 'environment', tenant: 'acme', site: 'plant1', environment } });
}

const desired = (environment: string, overrides: Partial<DesiredEnvironment> = {}, plan = planOf(environment)): DesiredEnvironment => ({
  environmentId: `id-${environment}`, tenant: 'acme', site: 'plant1', plan, desiredState: 'running', policy: 'repair', ...overrides,
});

function container(name: string, labels: Record<string, string>, state: ContainerState = 'running', health: HealthState = 'healthy'): ManagedContainer {
  return { id: `id-${name}`, name, state, health, image: 'img', labels, createdAt: new Date(0) };
}
const ofPlan = (plan: StackPlan, index = 0, state?: ContainerState, health?: HealthState) =>
  container(plan.services[index]!.containerName, plan.services[index]!.labels, state, health);
const kinds = (drift: { kind: string }[]) => drift.map((entry) => entry.kind);

describe('assign', () => {
  it('gives containers to the environment whose owner labels they carry; the rest are orphans', () => {
    const dev = desired('dev');
    const prod = desired('prod');
    const mine = ofPlan(dev.plan);
    const ghost = container('sy-acme-plant1-ghost', { ...dev.plan.services[0]!.labels, 'io.switchyard.environment': 'ghost' });
    const otherTenant = container('sy-other-plant1-dev', { ...dev.plan.services[0]!.labels, 'io.switchyard.tenant': 'other' });
    const siteOnly = container('sy-acme-plant1', { 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.tenant': 'acme', 'io.switchyard.site': 'plant1' });

    const { owned, orphans } = assign([dev, prod], [mine, ghost, otherTenant, siteOnly]);

    expect(owned.get('id-dev')).toEqual([mine]);
    expect(owned.get('id-prod')).toEqual([]);
    expect(orphans).toEqual([ghost, otherTenant, siteOnly]);
  });

  it('reads owner labels whatever else a container carries', () => {
    expect(ownerOf({ 'io.switchyard.site': 's', 'io.switchyard.tenant': 't', 'io.switchyard.spec-hash': 'x', 'com.example': 'y' }))
      .toEqual({ 'io.switchyard.tenant': 't', 'io.switchyard.site': 's' });
  });
});

describe('findDrift', () => {
  it('finds nothing when the containers match the desired state', () => {
    const env = desired('dev');
    expect(findDrift(env, [ofPlan(env.plan)], new Map())).toEqual([]);
    const stopped = desired('dev', { desiredState: 'stopped' });
    expect(findDrift(stopped, [ofPlan(stopped.plan, 0, 'exited', 'none')], new Map())).toEqual([]);
    expect(findDrift(desired('dev', { desiredState: 'absent' }), [], new Map())).toEqual([]);
  });

  it('names a missing member of a stack and the one that stopped', () => {
    const env = desired('dev', {}, planOf('dev', 'two'));
    const drift = findDrift(env, [ofPlan(env.plan, 1, 'exited', 'none')], new Map());
    expect(drift).toEqual([
      expect.objectContaining({ kind: 'missing', container: env.plan.services[0]!.containerName, state: null }),
      expect.objectContaining({ kind: 'stopped', container: env.plan.services[1]!.containerName, state: 'exited' }),
    ]);
  });

  it('reports changed settings with their fields, and unhealthy or restarting gateways', () => {
    const env = desired('dev');
    const name = env.plan.services[0]!.containerName;
    const changed = findDrift(env, [ofPlan(env.plan)], new Map([[name, ['memory', 'env']]]));
    expect(changed).toEqual([expect.objectContaining({ kind: 'changed', fields: ['memory', 'env'], detail: expect.stringContaining('memory, env') })]);
    expect(kinds(findDrift(env, [ofPlan(env.plan, 0, 'running', 'unhealthy')], new Map()))).toEqual(['unhealthy']);
    expect(kinds(findDrift(env, [ofPlan(env.plan, 0, 'restarting', 'none')], new Map()))).toEqual(['unhealthy']);
    expect(kinds(findDrift(env, [ofPlan(env.plan, 0, 'running', 'starting')], new Map()))).toEqual([]);
  });

  it('reports running, paused or restarting gateways desired stopped, and any container of one desired absent', () => {
    for (const state of ['running', 'paused', 'restarting'] as const) {
      const env = desired('dev', { desiredState: 'stopped' });
      expect(kinds(findDrift(env, [ofPlan(env.plan, 0, state)], new Map()))).toEqual(['running']);
    }
    const absent = desired('dev', { desiredState: 'absent' });
    const extra = container('sy-acme-plant1-dev-replaced-abc123', absent.plan.services[0]!.labels, 'exited');
    expect(kinds(findDrift(absent, [ofPlan(absent.plan, 0, 'exited'), extra], new Map()))).toEqual(['present', 'present']);
  });

  it('counts a container being removed as missing, and an unplanned one of the environment as unplanned', () => {
    const env = desired('dev');
    expect(kinds(findDrift(env, [ofPlan(env.plan, 0, 'removing')], new Map()))).toEqual(['missing']);
    const setAside = container('sy-acme-plant1-dev-replaced-abc123', env.plan.services[0]!.labels, 'exited');
    expect(findDrift(env, [ofPlan(env.plan), setAside], new Map())).toEqual([expect.objectContaining({ kind: 'unplanned', container: setAside.name })]);
  });
});

describe('invalidEnvironment', () => {
  it('accepts a well-formed environment and names the field of a broken one', () => {
    expect(invalidEnvironment(desired('dev'))).toBeNull();
    expect(invalidEnvironment(desired('dev', { desiredState: 'gone' as never }))).toMatch(/^desiredState "gone" is not one of running, stopped, absent/);
    expect(invalidEnvironment(desired('dev', { policy: undefined as never }))).toMatch(/^policy "undefined" is not one of repair, report/);
    expect(invalidEnvironment(desired('dev', {}, { ...planOf('dev'), services: [] }))).toMatch(/plan has no containers/);
    const unlabelled = planOf('dev');
    const stripped = { ...unlabelled, services: unlabelled.services.map((service) => ({ ...service, labels: {} })) };
    expect(invalidEnvironment(desired('dev', {}, stripped))).toMatch(/carries no owner labels/);
  });
});
