/** Version-aware checks: every option a gateway uses must be readable by the Ignition version it runs. */
import { IGNITION_VARIABLES, OPTION_MINIMUM_VERSIONS, SECRET_VARIABLES, lookupVariable } from './contract-table';
import { childPath, type SpecIssue } from './errors';
import { isAtLeast, type GatewayVersion } from './gateway-version';
import type { GatewayInput } from './schema';

export const DEFAULT_CONTAINER_PORTS = { http: 8088, https: 8043, gan: 8060 } as const;

/** An option in use, located by its path in the spec, and the variable or option that carries it. */
interface OptionUse {
  path: string;
  /** A table variable name, or a key of OPTION_MINIMUM_VERSIONS. */
  carrier: string;
}

/** The first version that reads a variable (or option) of the contract table. */
export function minimumVersionOf(carrier: string): string {
  const since = IGNITION_VARIABLES.find((entry) => entry.name === carrier)?.since ?? OPTION_MINIMUM_VERSIONS[carrier];
  if (!since) throw new Error(`internal: ${carrier} is not in the contract table`);
  return since;
}

function optionsInUse(gateway: GatewayInput): OptionUse[] {
  const uses: OptionUse[] = [];
  // Anything not undefined is in use: `false` too, since it overrides the image default.
  const record = (value: unknown, path: string, carrier: string) => {
    if (value !== undefined) uses.push({ path, carrier });
  };
  record(gateway.timezone, 'timezone', 'TZ');
  record(gateway.acceptEula || undefined, 'acceptEula', 'ACCEPT_IGNITION_EULA');
  record(gateway.adminUsername, 'adminUsername', 'GATEWAY_ADMIN_USERNAME');
  record(gateway.edition !== 'standard' || undefined, 'edition', 'IGNITION_EDITION');
  for (const { field, variable } of SECRET_VARIABLES) record(gateway.secrets[field], `secrets.${field}`, variable);
  for (const [key, variable] of [['http', 'GATEWAY_HTTP_PORT'], ['https', 'GATEWAY_HTTPS_PORT'], ['gan', 'GATEWAY_GAN_PORT']] as const) {
    const port = gateway.ports[key];
    record(port && port.container !== DEFAULT_CONTAINER_PORTS[key] ? port : undefined, `ports.${key}.container`, variable);
  }
  record(gateway.modules.enabled, 'modules.enabled', 'GATEWAY_MODULES_ENABLED');
  record(gateway.modules.accept.length > 0 || undefined, 'modules.accept', 'ACCEPT_MODULE_LICENSES');
  record(gateway.disableQuickstart, 'disableQuickstart', 'DISABLE_QUICKSTART');
  record(gateway.deploymentMode, 'deploymentMode', 'deploymentMode');
  const network = gateway.gatewayNetwork;
  record(network.enabled, 'gatewayNetwork.enabled', 'GATEWAY_NETWORK_ENABLED');
  record(network.requireSsl, 'gatewayNetwork.requireSsl', 'GATEWAY_NETWORK_REQUIRESSL');
  record(network.requireTwoWayAuth, 'gatewayNetwork.requireTwoWayAuth', 'GATEWAY_NETWORK_REQUIRETWOWAYAUTH');
  record(network.securityPolicy, 'gatewayNetwork.securityPolicy', 'GATEWAY_NETWORK_SECURITYPOLICY');
  record(network.whitelist, 'gatewayNetwork.whitelist', 'GATEWAY_NETWORK_WHITELIST');
  record(network.allowIncoming, 'gatewayNetwork.allowIncoming', 'GATEWAY_NETWORK_ALLOWINCOMING');
  network.connections.forEach((item, index) => {
    record(item, `gatewayNetwork.connections[${index}]`, 'GATEWAY_NETWORK_<n>_HOST');
    record(item.description, `gatewayNetwork.connections[${index}].description`, 'GATEWAY_NETWORK_<n>_DESCRIPTION');
  });
  return uses;
}

/** Options the version cannot honour, and environment entries that break the contract. Paths are relative. */
export function checkContract(gateway: GatewayInput, version: GatewayVersion): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const { path, carrier } of optionsInUse(gateway)) {
    const since = minimumVersionOf(carrier);
    if (!isAtLeast(version, since)) issues.push({ path, message: tooNew(path, since, version) });
  }
  issues.push(...checkEnvironment(gateway.environment, version));
  return issues;
}

function tooNew(what: string, since: string, version: GatewayVersion): string {
  return `${what} needs Ignition ${since} or later; this gateway is ${version.text} (raise version or remove the option)`;
}

/**
 * Walks an `environment` map: a name set together with its `_FILE` twin is an issue; for the others
 * `judge(base, name)` (base = the name without `_FILE`) may return a message.
 */
export function checkEnvironmentNames(
  environment: Record<string, string>,
  judge: (base: string, name: string) => string | undefined,
  at = 'environment',
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const name of Object.keys(environment)) {
    const path = childPath(at, name);
    const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : name;
    const message = base !== name && base in environment
      ? `both ${base} and ${name} are set; the image reads only one, so keep one of them`
      : judge(base, name);
    if (message) issues.push({ path, message });
  }
  return issues;
}

function checkEnvironment(environment: Record<string, string>, version: GatewayVersion): SpecIssue[] {
  return checkEnvironmentNames(environment, (base, name) => {
    const entry = lookupVariable(base);
    if (!entry) return undefined;
    if (entry.secret) return `${base} is a secret and is never passed as environment; put it in a file under secrets/ and set ${entry.field}`;
    if (entry.field) return `${base} is set by the spec field ${entry.field}; use that field instead`;
    if (!isAtLeast(version, entry.since)) return tooNew(`environment.${name}`, entry.since, version);
    return undefined;
  });
}
