/**
 * Proof material that a rendered Compose file and the Engine API bodies describe the same container:
 * both are reduced to one comparable shape (absolute sources, nanoseconds, bytes, sorted maps).
 */
import { isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { sortedRecord } from './canonical';
import type { EngineRequests } from './engine';
import { parseDurationMs, parseSizeMiB } from './units';

export interface ComparableService {
  containerName: string;
  hostname: string;
  image: string;
  command: string[] | null;
  env: Record<string, string>;
  /** Volumes, binds and secrets alike, sorted by target. */
  mounts: { type: string; source: string; target: string; readOnly: boolean }[];
  nanoCpus: number | null;
  memoryBytes: number | null;
  healthcheck: { test: string[]; intervalNs: number; timeoutNs: number; retries: number; startPeriodNs: number } | null;
  labels: Record<string, string>;
  restart: string;
  /** `hostIp:host->container/tcp`, sorted. */
  ports: string[];
  exposed: string[];
  network: string;
  aliases: string[];
}

type Json = Record<string, unknown>;

const ms = (text: unknown) => {
  const value = parseDurationMs(String(text));
  if (typeof value !== 'number') throw new Error(value.error);
  return value * 1_000_000;
};

/** One service of a rendered Compose file; relative sources resolve against `projectRoot`. */
export function composeServiceToComparable(composeYaml: string, serviceKey: string, projectRoot: string): ComparableService {
  const doc = parse(composeYaml) as Json;
  const service = (doc.services as Record<string, Json>)[serviceKey];
  if (!service) throw new Error(`no service "${serviceKey}" in the Compose file`);
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(projectRoot, path));
  const topSecrets = (doc.secrets ?? {}) as Record<string, { file: string }>;
  const mounts = [
    ...((service.volumes ?? []) as Json[]).map((mount) => ({
      type: String(mount.type),
      source: mount.type === 'bind' ? absolute(String(mount.source)) : String(mount.source),
      target: String(mount.target),
      readOnly: mount.read_only === true,
    })),
    ...((service.secrets ?? []) as { source: string; target: string }[]).map((secret) => ({
      type: 'bind', source: absolute(topSecrets[secret.source]!.file), target: secret.target, readOnly: true,
    })),
  ];
  const check = service.healthcheck as Json | undefined;
  const networks = service.networks as Record<string, { aliases: string[] }>;
  const [networkKey, networkConfig] = Object.entries(networks)[0]!;
  const memory = service.mem_limit === undefined ? null : parseSizeMiB(String(service.mem_limit));
  return finish({
    containerName: String(service.container_name),
    hostname: String(service.hostname),
    image: String(service.image),
    command: (service.command as string[] | undefined) ?? null,
    env: (service.environment as Record<string, string> | undefined) ?? {},
    mounts,
    nanoCpus: service.cpus === undefined ? null : Math.round(Number(service.cpus) * 1e9),
    memoryBytes: typeof memory === 'number' ? memory * 1024 * 1024 : null,
    healthcheck: check
      ? { test: check.test as string[], intervalNs: ms(check.interval), timeoutNs: ms(check.timeout), retries: Number(check.retries), startPeriodNs: ms(check.start_period) }
      : null,
    labels: service.labels as Record<string, string>,
    restart: String(service.restart),
    ports: ((service.ports ?? []) as Json[]).map((port) => `${String(port.host_ip ?? '')}:${String(port.published)}->${String(port.target)}/tcp`),
    exposed: ((service.expose ?? []) as string[]).map((port) => `${port}/tcp`),
    network: String(((doc.networks as Record<string, Json>)[networkKey] ?? {}).name),
    aliases: networkConfig.aliases,
  });
}

/** One container of toEngineRequests' output, by container name. */
export function engineRequestToComparable(requests: EngineRequests, containerName: string): ComparableService {
  const request = requests.containers.find((container) => container.name === containerName);
  if (!request) throw new Error(`no container "${containerName}" in the engine requests`);
  const { body } = request;
  const host = body.HostConfig;
  const check = body.Healthcheck;
  return finish({
    containerName: request.name,
    hostname: body.Hostname,
    image: body.Image,
    command: body.Cmd ?? null,
    env: Object.fromEntries(body.Env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])),
    mounts: host.Mounts.map((mount) => ({ type: mount.Type, source: mount.Source, target: mount.Target, readOnly: mount.ReadOnly })),
    nanoCpus: host.NanoCpus ?? null,
    memoryBytes: host.Memory ?? null,
    healthcheck: check ? { test: check.Test, intervalNs: check.Interval, timeoutNs: check.Timeout, retries: check.Retries, startPeriodNs: check.StartPeriod } : null,
    labels: body.Labels,
    restart: host.RestartPolicy.Name,
    ports: Object.entries(host.PortBindings).flatMap(([port, bindings]) => bindings.map((binding) => `${binding.HostIp}:${binding.HostPort}->${port}`)),
    exposed: Object.keys(body.ExposedPorts),
    network: host.NetworkMode,
    aliases: body.NetworkingConfig.EndpointsConfig[host.NetworkMode]?.Aliases ?? [],
  });
}

function finish(service: ComparableService): ComparableService {
  return {
    ...service,
    env: sortedRecord(service.env),
    labels: sortedRecord(service.labels),
    mounts: [...service.mounts].sort((a, b) => (a.target < b.target ? -1 : 1)),
    ports: [...service.ports].sort(),
    exposed: [...service.exposed].sort(),
  };
}
