/** A supporting container (e.g. postgres) of a stack as a ServicePlan. */
import type { MemberContext } from './plan-member';
import type { ServicePlan } from './plan-types';
import type { Container } from './types';
import { mibToBytes } from './units';

export function planContainer(container: Container, member: MemberContext): ServicePlan {
  const secrets = Object.entries(container.secrets).map(([variable, file]) => {
    const key = member.secretKey(file);
    return { variable, key, target: `/run/secrets/${key}` };
  });
  const env = { ...container.environment };
  for (const secret of secrets) env[`${secret.variable}_FILE`] = secret.target;
  return {
    ...member.identity,
    kind: 'container',
    image: container.image,
    command: container.command ?? null,
    env,
    mounts: container.volumes.map((volume) => ({
      type: 'volume' as const,
      source: member.volume(volume.name),
      projectPath: null,
      target: volume.target,
      readOnly: false,
    })),
    secrets: secrets.map(({ key, target }) => ({ key, target })),
    labels: member.labels({}),
    cpus: container.cpus ?? null,
    memoryBytes: container.memoryMiB === null ? null : mibToBytes(container.memoryMiB),
    healthcheck: container.healthcheck,
    restart: container.restart,
    ports: container.ports.flatMap((port) => (port.host ? [{ container: port.container, host: port.host, hostIp: port.hostIp ?? null }] : [])),
    exposedPorts: container.ports.map((port) => port.container),
  };
}
