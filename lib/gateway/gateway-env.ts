/** The environment of a gateway container, emitted only through the contract table. */
import { containerSecretPath } from '../paths/constants';
import { SECRET_VARIABLES, lookupVariable } from './contract-table';
import { DEFAULT_CONTAINER_PORTS, minimumVersionOf } from './contract';
import { isAtLeast, type GatewayVersion } from './gateway-version';
import { GATEWAY_SECRETS, type GatewaySecretField } from './schema';
import type { Gateway } from './types';

/** Where a gateway secret is mounted, e.g. `/run/secrets/ignition/gateway-admin-password`. */
export function gatewaySecretTarget(field: GatewaySecretField): string {
  return containerSecretPath(GATEWAY_SECRETS[field]);
}

/** Collects variables; refuses (as a bug) any table variable the gateway's version does not read. */
class VariableSink {
  readonly values: Record<string, string> = {};
  constructor(private readonly version: GatewayVersion) {}

  set(name: string, value: string | number | boolean | undefined): void {
    if (value === undefined) return;
    const entry = lookupVariable(name.endsWith('_FILE') ? name.slice(0, -5) : name);
    if (entry && !isAtLeast(this.version, entry.since)) {
      throw new Error(`internal: ${name} needs Ignition ${entry.since}, the contract check should have refused ${this.version.text}`);
    }
    this.values[name] = String(value);
  }
}

/** `peerHost` resolves a stack gateway's name to its hostname and gateway-network port. */
export function gatewayEnvironment(gateway: Gateway, peerHost: (name: string) => { host: string; port: number }): Record<string, string> {
  const env = new VariableSink(gateway.version);
  env.set('TZ', gateway.timezone);
  env.set('ACCEPT_IGNITION_EULA', gateway.acceptEula ? 'Y' : undefined);
  env.set('GATEWAY_ADMIN_USERNAME', gateway.adminUsername);
  // The edition is always known (default standard), so it is sent whenever the version reads it.
  if (isAtLeast(gateway.version, minimumVersionOf('IGNITION_EDITION'))) env.set('IGNITION_EDITION', gateway.edition);
  for (const { field, variable } of SECRET_VARIABLES) {
    if (gateway.secrets[field]) env.set(`${variable}_FILE`, gatewaySecretTarget(field));
  }
  for (const [key, variable] of PORT_VARIABLES) {
    const port = gateway.ports[key];
    if (port && port.container !== DEFAULT_CONTAINER_PORTS[key]) env.set(variable, port.container);
  }
  const network = gateway.gatewayNetwork;
  env.set('GATEWAY_NETWORK_ENABLED', network.enabled);
  env.set('GATEWAY_NETWORK_REQUIRESSL', network.requireSsl);
  env.set('GATEWAY_NETWORK_REQUIRETWOWAYAUTH', network.requireTwoWayAuth);
  env.set('GATEWAY_NETWORK_SECURITYPOLICY', network.securityPolicy);
  env.set('GATEWAY_NETWORK_WHITELIST', network.whitelist?.join(','));
  env.set('GATEWAY_NETWORK_ALLOWINCOMING', network.allowIncoming);
  network.connections.forEach((connection, index) => {
    const peer = connection.gateway === undefined ? undefined : peerHost(connection.gateway);
    const prefix = `GATEWAY_NETWORK_${index}_`;
    env.set(`${prefix}HOST`, peer?.host ?? connection.host);
    env.set(`${prefix}PORT`, connection.port ?? peer?.port ?? DEFAULT_CONTAINER_PORTS.gan);
    env.set(`${prefix}PINGRATE`, connection.pingRate);
    env.set(`${prefix}PINGMAXMISSED`, connection.pingMaxMissed);
    env.set(`${prefix}ENABLED`, connection.enabled);
    env.set(`${prefix}ENABLESSL`, connection.enableSsl);
    env.set(`${prefix}WEBSOCKETTIMEOUT`, connection.websocketTimeout);
    env.set(`${prefix}DESCRIPTION`, connection.description);
  });
  env.set('GATEWAY_MODULES_ENABLED', gateway.modules.enabled?.join(','));
  if (gateway.modules.accept.length > 0) {
    env.set('ACCEPT_MODULE_LICENSES', gateway.modules.accept.join(','));
    env.set('ACCEPT_MODULE_CERTS', gateway.modules.accept.join(','));
  }
  env.set('DISABLE_QUICKSTART', gateway.disableQuickstart);
  // Extra variables were checked against the table by parseStack; they cannot override the ones above.
  for (const [name, value] of Object.entries(gateway.environment)) env.set(name, value);
  return env.values;
}

const PORT_VARIABLES = [
  ['http', 'GATEWAY_HTTP_PORT'],
  ['https', 'GATEWAY_HTTPS_PORT'],
  ['gan', 'GATEWAY_GAN_PORT'],
] as const;
