// What a repair does for each drift and desired state, and how repeated repairs of one environment are spaced.
import { describe, expect, it } from 'vitest';
import { parseStack, planStack } from '@/lib/gateway';
import { planRepair } from './repair';
import { RepairBackoff } from './repair-backoff';
import type { DesiredEnvironment, Drift, DriftKind } from './types';

const plan = planStack(parseStack({ name: 'gw', version: '8.3.4', acceptEula: true, memory: '1GiB' }), {
  projectRoot: '/srv/p', scope: { kind: 'environment', tenant: 'acme', site: 'plant1', environment: 'dev' },
});
const env = (overrides: Partial<DesiredEnvironment> = {}): DesiredEnvironment => ({
  environmentId: 'e1', tenant: 'acme', site: 'plant1', plan, desiredState: 'running', policy: 'repair', ...overrides,
});
const drift = (...kinds: DriftKind[]): Drift[] => kinds.map((kind) => ({ kind, container: 'c', state: null, detail: kind }));

describe('planRepair', () => {
  it('re-provisions what is missing or changed, else starts what stopped, for a gateway desired running', () => {
    expect(planRepair(env(), drift('missing'))).toEqual([{ kind: 'provision' }]);
    expect(planRepair(env(), drift('changed', 'stopped'))).toEqual([{ kind: 'provision' }]);
    expect(planRepair(env(), drift('stopped'))).toEqual([{ kind: 'start' }]);
  });

  it('stops one desired stopped, and never re-creates it (that would start it)', () => {
    const stopped = env({ desiredState: 'stopped' });
    expect(planRepair(stopped, drift('running'))).toEqual([{ kind: 'stop' }]);
    const [stop, provision] = planRepair(stopped, drift('running', 'changed'));
    expect(stop).toEqual({ kind: 'stop' });
    expect(provision).toEqual({ kind: 'provision', skip: expect.stringContaining('desired stopped') });
  });

  it('removes one desired absent', () => {
    expect(planRepair(env({ desiredState: 'absent' }), drift('present'))).toEqual([{ kind: 'destroy' }]);
  });

  it('does nothing for unhealthy or unplanned containers, nor without drift', () => {
    expect(planRepair(env(), drift('unhealthy', 'unplanned'))).toEqual([]);
    expect(planRepair(env(), [])).toEqual([]);
    expect(planRepair(env({ desiredState: 'absent' }), [])).toEqual([]);
  });

  it('skips every action while a job works on the environment', () => {
    expect(planRepair(env({ jobInProgress: true }), drift('missing'))).toEqual([{ kind: 'provision', skip: expect.stringContaining('a job is working') }]);
  });
});

describe('RepairBackoff', () => {
  it('lets the first repair run, then doubles the wait while repairs follow closely, up to the maximum', () => {
    let now = 0;
    const backoff = new RepairBackoff(1_000, 4_000, () => now);
    expect(backoff.remaining('e1')).toBe(0);
    backoff.record('e1');
    expect(backoff.remaining('e1')).toBe(1_000);
    expect(backoff.remaining('e2')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      now += backoff.remaining('e1');
      backoff.record('e1');
      waits.push(backoff.remaining('e1'));
    }
    expect(waits).toEqual([2_000, 4_000, 4_000, 4_000]);
  });

  it('falls back to the base wait once the environment stayed repaired for a while', () => {
    let now = 0;
    const backoff = new RepairBackoff(1_000, 60_000, () => now);
    backoff.record('e1');
    now = 1_000;
    backoff.record('e1');
    expect(backoff.remaining('e1')).toBe(2_000);
    now += 60_000;
    backoff.record('e1');
    expect(backoff.remaining('e1')).toBe(1_000);
  });
});
