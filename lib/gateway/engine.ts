/** toEngineRequests: the same StackPlan as Docker Engine API bodies (POST /networks/create, /volumes/create, /containers/create). */
import type { HealthcheckPlan, ServicePlan, StackPlan } from './plan-types';

const NS_PER_MS = 1_000_000;

export interface EngineMount {
  Type: 'bind' | 'volume';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Env: string[];
  Labels: Record<string, string>;
  Hostname: string;
  ExposedPorts: Record<string, Record<string, never>>;
  Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
  HostConfig: {
    Mounts: EngineMount[];
    NanoCpus?: number;
    Memory?: number;
    RestartPolicy: { Name: string; MaximumRetryCount?: number };
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]>;
    NetworkMode: string;
  };
  NetworkingConfig: { EndpointsConfig: Record<string, { Aliases: string[] }> };
}

export interface EngineRequests {
  networks: { Name: string; Driver: 'bridge'; Labels: Record<string, string> }[];
  volumes: { Name: string; Labels: Record<string, string> }[];
  /** In start order: a container comes after the ones it depends on. */
  containers: { name: string; service: string; body: ContainerCreateBody }[];
}

export function toEngineRequests(plan: StackPlan): EngineRequests {
  return {
    networks: [{ Name: plan.network.name, Driver: 'bridge', Labels: plan.network.labels }],
    volumes: plan.volumes.map((volume) => ({ Name: volume.name, Labels: volume.labels })),
    containers: startOrder(plan.services).map((service) => ({ name: service.containerName, service: service.key, body: containerBody(service, plan) })),
  };
}

function containerBody(service: ServicePlan, plan: StackPlan): ContainerCreateBody {
  const secretFiles = new Map(plan.secrets.map((secret) => [secret.key, secret.source]));
  const mounts: EngineMount[] = [
    ...service.mounts.map((mount) => ({ Type: mount.type, Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly })),
    // A Compose secret is a read-only bind of its file at the same target.
    ...service.secrets.map(({ key, target }) => ({ Type: 'bind' as const, Source: secretFiles.get(key)!, Target: target, ReadOnly: true })),
  ];
  const body: ContainerCreateBody = {
    Image: service.image,
    Env: Object.entries(service.env).map(([name, value]) => `${name}=${value}`),
    Labels: service.labels,
    Hostname: service.hostname,
    ExposedPorts: Object.fromEntries(service.exposedPorts.map((port) => [`${port}/tcp`, {}])),
    HostConfig: {
      Mounts: mounts,
      RestartPolicy: { Name: service.restart },
      PortBindings: Object.fromEntries(service.ports.map((port) => [`${port.container}/tcp`, [{ HostIp: port.hostIp ?? '', HostPort: String(port.host) }]])),
      NetworkMode: plan.network.name,
    },
    NetworkingConfig: { EndpointsConfig: { [plan.network.name]: { Aliases: service.aliases } } },
  };
  if (service.command) body.Cmd = service.command;
  if (service.healthcheck) body.Healthcheck = engineHealthcheck(service.healthcheck);
  if (service.cpus !== null) body.HostConfig.NanoCpus = Math.round(service.cpus * 1e9);
  if (service.memoryBytes !== null) body.HostConfig.Memory = service.memoryBytes;
  return body;
}

function engineHealthcheck(check: HealthcheckPlan): NonNullable<ContainerCreateBody['Healthcheck']> {
  return {
    Test: check.test,
    Interval: check.intervalMs * NS_PER_MS,
    Timeout: check.timeoutMs * NS_PER_MS,
    Retries: check.retries,
    StartPeriod: check.startPeriodMs * NS_PER_MS,
  };
}

/** Dependencies first; otherwise the plan's order. parseStack refuses cycles. */
export function startOrder(services: readonly ServicePlan[]): ServicePlan[] {
  const byKey = new Map(services.map((service) => [service.key, service]));
  const ordered: ServicePlan[] = [];
  const visit = (service: ServicePlan, trail: Set<string>) => {
    if (ordered.includes(service) || trail.has(service.key)) return;
    trail.add(service.key);
    for (const key of service.dependsOn) {
      const dependency = byKey.get(key);
      if (dependency) visit(dependency, trail);
    }
    ordered.push(service);
  };
  for (const service of services) visit(service, new Set());
  return ordered;
}
