// Pure pieces of the Docker runtime: stats arithmetic, the engine's port-conflict words, secret redaction.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { isPortConflict, takenPort } from './docker-engine';
import { toStatsSample } from './docker-stats';
import { redact } from './secrets';

function stats(cpu: { total: number; system: number; preTotal: number; preSystem: number; cpus: number }, memory: Record<string, unknown>): Docker.ContainerStats {
  return {
    read: '2026-11-30T09:00:00Z',
    cpu_stats: { cpu_usage: { total_usage: cpu.total }, system_cpu_usage: cpu.system, online_cpus: cpu.cpus },
    precpu_stats: { cpu_usage: { total_usage: cpu.preTotal }, system_cpu_usage: cpu.preSystem, online_cpus: cpu.cpus },
    memory_stats: memory,
  } as unknown as Docker.ContainerStats;
}

describe('toStatsSample', () => {
  it('computes CPU as a share of one CPU between the two readings and subtracts the page cache (cgroup v1)', () => {
    const sample = toStatsSample(stats({ total: 300, system: 2_000, preTotal: 100, preSystem: 1_000, cpus: 4 }, { usage: 500, limit: 1_000, stats: { cache: 100 } }));
    expect(sample).toEqual({ sampledAt: new Date('2026-11-30T09:00:00Z'), cpuPercent: 80, memoryUsedBytes: 400, memoryLimitBytes: 1_000 });
  });

  it('subtracts inactive_file on cgroup v2, and answers 0 % without a previous reading', () => {
    const sample = toStatsSample(stats({ total: 300, system: 2_000, preTotal: 0, preSystem: 0, cpus: 2 }, { usage: 500, limit: 1_000, stats: { inactive_file: 200 } }));
    expect(sample).toMatchObject({ cpuPercent: 0, memoryUsedBytes: 300 });
  });

  it('never answers negative memory when the cache figure exceeds the usage', () => {
    expect(toStatsSample(stats({ total: 1, system: 1, preTotal: 1, preSystem: 1, cpus: 1 }, { usage: 100, limit: 1_000, stats: { cache: 500 } })).memoryUsedBytes).toBe(100);
  });
});

describe('port conflicts in engine messages', () => {
  it('finds the port whether Docker or the kernel refused it', () => {
    const docker = 'driver failed programming external connectivity on endpoint sy-a: Bind for 127.0.0.1:18088 failed: port is already allocated';
    const kernel = 'Error starting userland proxy: listen tcp4 0.0.0.0:43011: bind: address already in use';
    expect([takenPort(docker), takenPort(kernel)]).toEqual([18088, 43011]);
    expect([isPortConflict(docker), isPortConflict(kernel)]).toEqual([true, true]);
  });

  it('does not see a conflict in other failures', () => {
    expect(isPortConflict('No such image: x:1')).toBe(false);
    expect(takenPort('port is already allocated')).toBeUndefined();
  });
});

describe('redact', () => {
  it('blots out every occurrence of every secret value and leaves other text', () => {
    expect(redact('user pw=hunter2 token=abc hunter2', ['hunter2', 'abc', ''])).toBe('user pw=[redacted] token=[redacted] [redacted]');
    expect(redact('nothing secret here', ['hunter2'])).toBe('nothing secret here');
  });
});
