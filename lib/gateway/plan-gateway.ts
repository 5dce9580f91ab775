/** One gateway of a stack as a ServicePlan: arguments, environment, mounts, secrets, health check. */
import { posix } from 'node:path';
import { CONTAINER_RESTORE_DIR, IGNITION_DATA_DIR, IGNITION_MODULES_DIR } from '../paths/constants';
import { gatewayEnvironment, gatewaySecretTarget } from './gateway-env';
import { SECRET_VARIABLES } from './contract-table';
import type { MemberContext } from './plan-member';
import type { HealthcheckPlan, MountPlan, PortPlan, ServicePlan } from './plan-types';
import type { Gateway } from './types';
import { mibToBytes } from './units';

export function planGateway(gateway: Gateway, member: MemberContext): ServicePlan {
  const ports = gateway.ports;
  const httpPort = ports.http?.container ?? 8088;
  const published: PortPlan[] = [ports.http, ports.https, ports.gan].flatMap((port) =>
    port?.host ? [{ container: port.container, host: port.host, hostIp: port.hostIp }] : [],
  );
  return {
    ...member.identity,
    kind: 'gateway',
    image: gateway.image,
    command: gatewayCommand(gateway),
    env: gatewayEnvironment(gateway, member.peer),
    mounts: gatewayMounts(gateway, member),
    secrets: SECRET_VARIABLES.flatMap(({ field }) => {
      const file = gateway.secrets[field];
      return file ? [{ key: member.secretKey(file), target: gatewaySecretTarget(field) }] : [];
    }),
    labels: member.labels({
      'io.switchyard.ignition-version': gateway.version.text,
      ...(gateway.redundancy ? { 'io.switchyard.redundancy-role': gateway.redundancy.role } : {}),
    }),
    cpus: gateway.cpus ?? null,
    memoryBytes: mibToBytes(gateway.memoryMiB),
    healthcheck: statusPingCheck(httpPort, gateway.healthcheck),
    restart: gateway.restart,
    ports: published,
    exposedPorts: [ports.http?.container ?? 8088, ports.https?.container ?? 8043, ports.gan?.container ?? 8060],
  };
}

/** `-n name -m heap [-r backup] [-a host -h port -s port] [-- JVM options]`. */
function gatewayCommand(gateway: Gateway): string[] {
  const args = ['-n', gateway.name, '-m', String(gateway.heapMiB)];
  if (gateway.restore) args.push('-r', `${CONTAINER_RESTORE_DIR}/${posix.basename(gateway.restore)}`);
  const address = gateway.publicAddress;
  if (address) {
    args.push('-a', address.host);
    if (address.httpPort) args.push('-h', String(address.httpPort));
    if (address.httpsPort) args.push('-s', String(address.httpsPort));
  }
  const jvm: string[] = [];
  if (gateway.deploymentMode) jvm.push(`-Dignition.config.mode=${gateway.deploymentMode}`);
  if (gateway.developerMode) jvm.push('-Dignition.allowunsignedmodules=true');
  return jvm.length > 0 ? [...args, '--', ...jvm] : args;
}

function gatewayMounts(gateway: Gateway, member: MemberContext): MountPlan[] {
  const data: MountPlan = { type: 'volume', source: member.volume('data'), projectPath: null, target: IGNITION_DATA_DIR, readOnly: false };
  const files = [
    ...gateway.modules.files.map((file) => ({ file, dir: IGNITION_MODULES_DIR })),
    ...gateway.jdbc.drivers.map((file) => ({ file, dir: gateway.jdbc.directory })),
    ...(gateway.restore ? [{ file: gateway.restore, dir: CONTAINER_RESTORE_DIR }] : []),
  ];
  return [data, ...files.map(({ file, dir }) => member.bind(file, `${dir}/${posix.basename(file)}`))];
}

/**
 * Ready means /StatusPing answers RUNNING. curl gives up at 80% of Docker's timeout, so a slow gateway is a
 * failed probe curl reported, not a probe Docker had to kill.
 */
export function statusPingCheck(httpPort: number, timing: Omit<HealthcheckPlan, 'test'>): HealthcheckPlan {
  const seconds = Math.max(0.5, Math.floor((timing.timeoutMs * 0.8) / 100) / 10);
  const probe = `curl -fsS --max-time ${seconds} http://localhost:${httpPort}/StatusPing | grep -q RUNNING`;
  return { test: ['CMD-SHELL', probe], ...timing };
}
