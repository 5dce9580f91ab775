/** Checks across the members of a stack: unique names, references that resolve, no shared host ports. */
import { checkEnvironmentNames } from './contract';
import type { SpecIssue } from './errors';
import type { Gateway, Stack } from './types';

export function checkStackReferences(stack: Stack, gatewayPath: (index: number) => string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const members = [
    ...stack.gateways.map((member, index) => ({ member, path: gatewayPath(index) })),
    ...stack.containers.map((member, index) => ({ member, path: `containers[${index}]` })),
  ];
  const at = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const byName = new Map<string, (typeof members)[number]>();
  for (const entry of members) {
    const { name } = entry.member;
    // Distinct names give distinct service keys and container names (see naming.ts), so names are what must differ.
    if (byName.has(name)) issues.push({ path: at(entry.path, 'name'), message: `"${name}" is used by another member of this stack; names must be unique` });
    byName.set(name, entry);
  }
  const gatewayNames = new Set(stack.gateways.map((gateway) => gateway.name));
  stack.gateways.forEach((gateway, index) => {
    const path = gatewayPath(index);
    gateway.gatewayNetwork.connections.forEach((connection, n) => {
      if (connection.gateway === undefined) return;
      const where = at(path, `gatewayNetwork.connections[${n}].gateway`);
      if (connection.gateway === gateway.name) issues.push({ path: where, message: 'a gateway cannot connect to itself' });
      else if (!gatewayNames.has(connection.gateway)) issues.push({ path: where, message: `no gateway named "${connection.gateway}" in this stack; use host: for an external gateway` });
    });
    issues.push(...checkRedundancy(gateway, stack.gateways, at(path, 'redundancy')));
    issues.push(...sameFileNames(gateway.modules.files, at(path, 'modules.files')), ...sameFileNames(gateway.jdbc.drivers, at(path, 'jdbc.drivers')));
  });
  stack.containers.forEach((container, index) => {
    const secretOf = (base: string) => (base in container.secrets ? `${base} comes from secrets.${base} (as ${base}_FILE); remove it here` : undefined);
    issues.push(...checkEnvironmentNames(container.environment, secretOf, `containers[${index}].environment`));
  });
  for (const { member, path } of members) {
    for (const dependency of member.dependsOn) {
      if (dependency === member.name || !byName.has(dependency)) {
        issues.push({ path: at(path, 'dependsOn'), message: `"${dependency}" is not another member of this stack` });
      }
    }
  }
  const cycle = findCycle(members.map(({ member }) => member));
  if (cycle) issues.push({ path: at(members.find(({ member }) => member.name === cycle[0])!.path, 'dependsOn'), message: `dependsOn goes round in a circle: ${cycle.join(' -> ')}` });
  issues.push(...checkHostPorts(members.map(({ member, path }) => ({ path, ports: publishedPorts(member) })), at));
  return issues;
}

function checkRedundancy(gateway: Gateway, gateways: readonly Gateway[], path: string): SpecIssue[] {
  const redundancy = gateway.redundancy;
  if (!redundancy) return [];
  const peer = gateways.find((candidate) => candidate.name === redundancy.peer);
  if (!peer || peer === gateway) return [{ path: `${path}.peer`, message: `peer must name the other gateway of the pair in this stack, not "${redundancy.peer}"` }];
  if (peer.redundancy?.peer !== gateway.name || peer.redundancy.role === redundancy.role) {
    return [{ path, message: `"${peer.name}" must name "${gateway.name}" as its peer with the other role (one primary, one backup)` }];
  }
  if (peer.version.text !== gateway.version.text) {
    return [{ path, message: `a redundant pair runs one version; "${gateway.name}" is ${gateway.version.text}, "${peer.name}" is ${peer.version.text}` }];
  }
  return [];
}

type Published = { key: string; host: number; hostIp: string | null };

function publishedPorts(member: Stack['gateways'][number] | Stack['containers'][number]): Published[] {
  if (member.kind === 'gateway') {
    return Object.entries(member.ports).flatMap(([key, port]) => (port?.host ? [{ key: `ports.${key}`, host: port.host, hostIp: port.hostIp }] : []));
  }
  return member.ports.flatMap((port, index) => (port.host ? [{ key: `ports[${index}]`, host: port.host, hostIp: port.hostIp ?? null }] : []));
}

function checkHostPorts(entries: { path: string; ports: Published[] }[], at: (path: string, key: string) => string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const taken = new Map<number, string>();
  for (const { path, ports } of entries) {
    for (const port of ports) {
      const where = at(path, port.key);
      const previous = taken.get(port.host);
      if (previous) issues.push({ path: where, message: `host port ${port.host} is already published by ${previous}; pick another host port` });
      else taken.set(port.host, where);
    }
  }
  return issues;
}

/** The first dependency cycle, as names from start back to start, or undefined. */
function findCycle(members: readonly { name: string; dependsOn: string[] }[]): string[] | undefined {
  const byName = new Map(members.map((member) => [member.name, member]));
  const done = new Set<string>();
  const walk = (name: string, trail: string[]): string[] | undefined => {
    if (trail.includes(name)) return [...trail.slice(trail.indexOf(name)), name];
    if (done.has(name)) return undefined;
    for (const next of byName.get(name)?.dependsOn ?? []) {
      const cycle = walk(next, [...trail, name]);
      if (cycle) return cycle;
    }
    done.add(name);
    return undefined;
  };
  for (const member of members) {
    const cycle = walk(member.name, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Files land in one folder by their base name, so two with the same name would overwrite each other. */
function sameFileNames(files: readonly string[], path: string): SpecIssue[] {
  const seen = new Map<string, string>();
  return files.flatMap((file, index) => {
    const base = file.slice(file.lastIndexOf('/') + 1);
    const first = seen.get(base);
    seen.set(base, file);
    return first ? [{ path: `${path}[${index}]`, message: `"${file}" and "${first}" have the same file name and would land on the same path; rename one` }] : [];
  });
}
