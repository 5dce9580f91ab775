// The pieces that let the reconciler finish a job the engine's going away cut short: which failed environments it
// takes back (interruptedByEngine), and when one is where it should be again (isReady).
import { describe, expect, it } from 'vitest';
import { parseStack, planStack } from '@/lib/gateway';
import type { ContainerState, HealthState, ManagedContainer } from '@/server/runtime';
import { runtimeErrors } from '@/server/runtime/errors';
import { findDrift, isReady } from './compare';
import { ENGINE_UNREACHABLE_TEXT, interruptedByEngine, policyOf } from './desired-from-db';
import type { DesiredEnvironment } from './types';

const unreachable = runtimeErrors.unreachable('unix:///var/run/docker.sock', 'ENOENT while trying to inspect container sy-a-b-gw').message;
const exited = runtimeErrors.exited('sy-a-b-gw', 143, []).message;

describe('interruptedByEngine', () => {
  const failed = { status: 'failed' as const, desiredState: 'running' as const, lastError: unreachable };

  it('recognises the runtime\'s own "engine unreachable" words', () => {
    expect(unreachable.startsWith(ENGINE_UNREACHABLE_TEXT)).toBe(true);
  });

  it('takes a failed job whose error, or whose failed cleanup, is the engine not answering', () => {
    expect(interruptedByEngine(failed, 'failed')).toBe(true);
    expect(interruptedByEngine({ ...failed, desiredState: 'stopped' }, 'failed')).toBe(true);
    // The engine stopped the gateway on its way down, and the rollback found the engine gone.
    expect(interruptedByEngine({ ...failed, lastError: `${exited} (cleanup also failed: ${unreachable})` }, 'failed')).toBe(true);
  });

  it('leaves rolled-back jobs, other failures, teardowns and settled environments to the operator', () => {
    expect(interruptedByEngine(failed, 'rolled_back')).toBe(false);
    expect(interruptedByEngine(failed, null)).toBe(false);
    expect(interruptedByEngine(failed, 'running')).toBe(false);
    expect(interruptedByEngine({ ...failed, lastError: exited }, 'failed')).toBe(false);
    expect(interruptedByEngine({ ...failed, lastError: null }, 'failed')).toBe(false);
    expect(interruptedByEngine({ ...failed, desiredState: 'absent' }, 'failed')).toBe(false);
    expect(interruptedByEngine({ ...failed, status: 'running' }, 'failed')).toBe(false);
    expect(interruptedByEngine({ ...failed, status: 'provisioning' }, 'failed')).toBe(false);
  });

  it('repairs interrupted environments as settled ones; other failures are reported only', () => {
    expect(policyOf('failed', true)).toBe('repair');
    expect(policyOf('failed')).toBe('report');
    expect(policyOf('running')).toBe('repair');
    expect(policyOf('provisioning')).toBe('report');
  });
});

describe('isReady', () => {
  const plan = planStack(parseStack({ name: 'gw', version: '8.3.4', acceptEula: true, memory: '1GiB' }), {
    projectRoot: '/srv/p', scope: { kind: 'environment', tenant: 'acme', site: 'plant1', environment: 'dev' },
  });
  const service = plan.services[0]!;
  const environment = (desiredState: DesiredEnvironment['desiredState']): DesiredEnvironment => ({
    environmentId: 'id-dev', tenant: 'acme', site: 'plant1', plan, desiredState, policy: 'repair',
  });
  const container = (state: ContainerState, health: HealthState, name = service.containerName): ManagedContainer => ({
    id: `id-${name}`, name, state, health, image: 'img', labels: service.labels, createdAt: new Date(0),
  });
  const ready = (desired: DesiredEnvironment, containers: ManagedContainer[]) => isReady(desired, containers, findDrift(desired, containers, new Map()));

  it('is ready when running and healthy, or running without a health check', () => {
    expect(ready(environment('running'), [container('running', 'healthy')])).toBe(true);
    expect(ready(environment('running'), [container('running', 'none')])).toBe(true);
  });

  it('is not ready while the health check is still starting, failing, or the container is stopped or missing', () => {
    expect(ready(environment('running'), [container('running', 'starting')])).toBe(false);
    expect(ready(environment('running'), [container('running', 'unhealthy')])).toBe(false);
    expect(ready(environment('running'), [container('exited', 'none')])).toBe(false);
    expect(ready(environment('running'), [])).toBe(false);
  });

  it('follows the desired state: a stopped gateway is ready when desired stopped, not when desired running', () => {
    expect(ready(environment('stopped'), [container('exited', 'none')])).toBe(true);
    expect(ready(environment('stopped'), [container('running', 'healthy')])).toBe(false);
  });

  it('does not count a left-over container against it (reported as unplanned drift instead)', () => {
    const leftover = container('exited', 'none', `${service.containerName}-replaced-abc123`);
    const desired = environment('running');
    const containers = [container('running', 'healthy'), leftover];
    expect(findDrift(desired, containers, new Map()).map((entry) => entry.kind)).toEqual(['unplanned']);
    expect(ready(desired, containers)).toBe(true);
  });
});
