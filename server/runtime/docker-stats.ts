/** One stats sample from the engine's answer: CPU as the share of one CPU between its two readings, memory without page cache. */
import type Docker from 'dockerode';
import type { StatsSample } from './types';

export function toStatsSample(stats: Docker.ContainerStats): StatsSample {
  const cpuDelta = stats.cpu_stats.cpu_usage.total_usage - (stats.precpu_stats.cpu_usage?.total_usage ?? 0);
  const systemDelta = stats.cpu_stats.system_cpu_usage - (stats.precpu_stats.system_cpu_usage ?? 0);
  const cpus = stats.cpu_stats.online_cpus || stats.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const hasBaseline = (stats.precpu_stats.system_cpu_usage ?? 0) > 0;
  const cpuPercent = hasBaseline && systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = stats.memory_stats;
  // Page cache is reclaimable: cgroup v1 reports it as `cache`, v2 as `inactive_file` (what `docker stats` subtracts).
  const extra = (memory.stats ?? {}) as { cache?: number; inactive_file?: number; total_inactive_file?: number };
  const cache = extra.total_inactive_file ?? extra.inactive_file ?? extra.cache ?? 0;
  const usage = memory.usage ?? 0;
  return {
    sampledAt: new Date(stats.read),
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    memoryUsedBytes: Math.max(0, usage - (cache < usage ? cache : 0)),
    memoryLimitBytes: memory.limit ?? 0,
  };
}
