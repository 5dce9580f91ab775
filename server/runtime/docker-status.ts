/** The engine's container descriptions in the runtime's own shapes. */
import type Docker from 'dockerode';
import type { ContainerState, ContainerStatus, HealthState, ManagedContainer, PublishedPort } from './types';

const STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const HEALTH: readonly HealthState[] = ['starting', 'healthy', 'unhealthy'];

const asState = (value: string): ContainerState => (STATES as readonly string[]).includes(value) ? (value as ContainerState) : 'dead';
const asHealth = (value: string | undefined): HealthState => (HEALTH as readonly string[]).includes(value ?? '') ? (value as HealthState) : 'none';

/** Docker's zero time ("0001-01-01T00:00:00Z") means never. */
function dateOrNull(text: string | undefined): Date | null {
  if (!text || text.startsWith('0001-')) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function toContainerStatus(info: Docker.ContainerInspectInfo): ContainerStatus {
  const state = asState(info.State.Status);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    state,
    health: asHealth(info.State.Health?.Status),
    startedAt: state === 'running' || state === 'paused' ? dateOrNull(info.State.StartedAt) : null,
    exitCode: state === 'exited' || state === 'dead' ? info.State.ExitCode : null,
    restartCount: info.RestartCount,
    image: info.Config.Image,
    imageId: info.Image,
    ports: publishedPorts(info.HostConfig.PortBindings ?? {}),
    labels: info.Config.Labels ?? {},
  };
}

function publishedPorts(bindings: Record<string, { HostIp?: string; HostPort?: string }[] | null>): PublishedPort[] {
  return Object.entries(bindings).flatMap(([port, list]) =>
    (list ?? []).map((binding) => ({ container: Number.parseInt(port, 10), host: Number(binding.HostPort ?? 0), hostIp: binding.HostIp ?? '' })),
  );
}

/** `Up 3 minutes (healthy)` -> healthy; the list answer has no structured health. */
export function toManagedContainer(info: Docker.ContainerInfo): ManagedContainer {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(info.Status)?.[1];
  return {
    id: info.Id,
    name: (info.Names[0] ?? '').replace(/^\//, ''),
    state: asState(info.State),
    health: health === 'health: starting' ? 'starting' : asHealth(health),
    image: info.Image,
    labels: info.Labels ?? {},
    createdAt: new Date(info.Created * 1000),
  };
}
