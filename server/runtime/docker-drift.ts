/**
 * Does an existing container still match its planned create body? Answers the fields that differ (empty: it
 * matches), so provision re-creates only what changed and a reconciler can name the drift. Values the engine
 * fills in from the image (its env, labels, exposed ports, command) are allowed on top of the planned ones.
 */
import type Docker from 'dockerode';
import type { ContainerCreateBody } from '@/lib/gateway';

type Inspect = Docker.ContainerInspectInfo;
type ImageConfig = { Env?: string[] | null; Labels?: Record<string, string> | null; Cmd?: string[] | null; ExposedPorts?: Record<string, unknown> | null };

export function driftFields(body: ContainerCreateBody, actual: Inspect, image: { Id: string; Config: ImageConfig }): string[] {
  const host = actual.HostConfig;
  const network = actual.NetworkSettings.Networks[body.HostConfig.NetworkMode];
  const checks: [string, boolean][] = [
    ['image', actual.Config.Image === body.Image && actual.Image === image.Id],
    ['command', sameList(actual.Config.Cmd ?? [], body.Cmd ?? image.Config.Cmd ?? [])],
    ['env', withinDefaults(toMap(body.Env), toMap(actual.Config.Env ?? []), toMap(image.Config.Env ?? []))],
    ['labels', withinDefaults(body.Labels, actual.Config.Labels ?? {}, image.Config.Labels ?? {})],
    ['hostname', actual.Config.Hostname === body.Hostname],
    ['mounts', sameList(plannedMounts(body), actualMounts(actual))],
    ['cpus', (host.NanoCpus || 0) === (body.HostConfig.NanoCpus ?? 0)],
    ['memory', (host.Memory || 0) === (body.HostConfig.Memory ?? 0)],
    ['healthcheck', body.Healthcheck === undefined || sameHealthcheck(body.Healthcheck, actual.Config.Healthcheck)],
    ['restart', host.RestartPolicy?.Name === body.HostConfig.RestartPolicy.Name],
    ['ports', sameList(portList(body.HostConfig.PortBindings), portList(host.PortBindings ?? {}))],
    ['exposed', withinDefaults(keySet(body.ExposedPorts), keySet(actual.Config.ExposedPorts ?? {}), keySet(image.Config.ExposedPorts ?? {}))],
    ['network', host.NetworkMode === body.HostConfig.NetworkMode && network !== undefined],
    ['aliases', (body.NetworkingConfig.EndpointsConfig[body.HostConfig.NetworkMode]?.Aliases ?? []).every((alias) => network?.Aliases?.includes(alias))],
  ];
  return checks.filter(([, same]) => !same).map(([field]) => field);
}

/** Every planned entry is there, and anything more is the image's own default. */
function withinDefaults(planned: Record<string, string>, actual: Record<string, string>, defaults: Record<string, string>): boolean {
  const plannedOk = Object.entries(planned).every(([key, value]) => actual[key] === value);
  const extrasOk = Object.entries(actual).every(([key, value]) => key in planned || defaults[key] === value);
  return plannedOk && extrasOk;
}

function toMap(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

const keySet = (record: Record<string, unknown>) => Object.fromEntries(Object.keys(record).map((key) => [key, '']));

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function plannedMounts(body: ContainerCreateBody): string[] {
  return body.HostConfig.Mounts.map((m) => `${m.Type}:${m.Source}:${m.Target}:${m.ReadOnly ? 'ro' : 'rw'}`).sort();
}

function actualMounts(actual: Inspect): string[] {
  return actual.Mounts.map((m) => `${m.Type}:${m.Type === 'volume' ? (m.Name ?? '') : m.Source}:${m.Destination}:${m.RW ? 'rw' : 'ro'}`).sort();
}

function portList(bindings: Record<string, { HostIp?: string; HostPort?: string }[] | null | undefined>): string[] {
  return Object.entries(bindings)
    .flatMap(([port, list]) => (list ?? []).map((binding) => `${binding.HostIp ?? ''}:${binding.HostPort ?? ''}->${port}`))
    .sort();
}

function sameHealthcheck(planned: NonNullable<ContainerCreateBody['Healthcheck']>, actual: Inspect['Config']['Healthcheck']): boolean {
  if (!actual) return false;
  return (
    sameList(actual.Test ?? [], planned.Test) &&
    (actual.Interval ?? 0) === planned.Interval &&
    (actual.Timeout ?? 0) === planned.Timeout &&
    (actual.Retries ?? 0) === planned.Retries &&
    (actual.StartPeriod ?? 0) === planned.StartPeriod
  );
}
