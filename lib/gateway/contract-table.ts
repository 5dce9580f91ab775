/**
 * The Ignition container contract in one table: each environment variable, the first image version that
 * reads it, and the spec field that sets it. Everything that emits or checks a variable reads this table,
 * and docs/gateway-contract.md is generated from it.
 */
import type { GatewaySecretField } from './schema';

export interface VariableEntry {
  /** Variable name; `<n>` stands for a gateway-network connection index (0, 1, ...). */
  name: string;
  /** First image version that reads it. */
  since: string;
  /** The spec field that sets it; undefined when it may only be given through `environment`. */
  field?: string;
  /** Delivered as `<name>_FILE` pointing at a mounted secret file, never as a value. */
  secret?: boolean;
  description: string;
}

export const IGNITION_VARIABLES: readonly VariableEntry[] = [
  { name: 'TZ', since: '8.0.0', field: 'timezone', description: 'time zone of the gateway JVM' },
  { name: 'ACCEPT_IGNITION_EULA', since: '8.1.7', field: 'acceptEula', description: '`Y` accepts the Ignition EULA' },
  { name: 'GATEWAY_RESTORE_DISABLED', since: '8.1.7', description: 'skip the restore given with `-r`' },
  { name: 'GATEWAY_ADMIN_USERNAME', since: '8.1.8', field: 'adminUsername', description: 'first administrator user' },
  { name: 'GATEWAY_ADMIN_PASSWORD', since: '8.1.8', field: 'secrets.adminPassword', secret: true, description: 'first administrator password' },
  { name: 'GATEWAY_HTTP_PORT', since: '8.1.8', field: 'ports.http.container', description: 'HTTP port inside the container (default 8088)' },
  { name: 'GATEWAY_HTTPS_PORT', since: '8.1.8', field: 'ports.https.container', description: 'HTTPS port inside the container (default 8043)' },
  { name: 'GATEWAY_GAN_PORT', since: '8.1.8', field: 'ports.gan.container', description: 'gateway network port inside the container (default 8060)' },
  { name: 'IGNITION_EDITION', since: '8.1.8', field: 'edition', description: 'standard, edge, maker or cloud' },
  { name: 'IGNITION_LICENSE_KEY', since: '8.1.8', field: 'secrets.licenseKey', secret: true, description: 'licence key to activate' },
  { name: 'IGNITION_ACTIVATION_TOKEN', since: '8.1.8', field: 'secrets.activationToken', secret: true, description: 'activation token for the licence key' },
  { name: 'GATEWAY_NETWORK_<n>_HOST', since: '8.1.10', field: 'gatewayNetwork.connections[n]', description: 'outgoing connection: host' },
  { name: 'GATEWAY_NETWORK_<n>_PORT', since: '8.1.10', field: 'gatewayNetwork.connections[n].port', description: 'outgoing connection: port' },
  { name: 'GATEWAY_NETWORK_<n>_PINGRATE', since: '8.1.10', field: 'gatewayNetwork.connections[n].pingRate', description: 'outgoing connection: ping rate (ms)' },
  { name: 'GATEWAY_NETWORK_<n>_PINGMAXMISSED', since: '8.1.10', field: 'gatewayNetwork.connections[n].pingMaxMissed', description: 'outgoing connection: missed pings before faulted' },
  { name: 'GATEWAY_NETWORK_<n>_ENABLED', since: '8.1.10', field: 'gatewayNetwork.connections[n].enabled', description: 'outgoing connection: enabled' },
  { name: 'GATEWAY_NETWORK_<n>_ENABLESSL', since: '8.1.10', field: 'gatewayNetwork.connections[n].enableSsl', description: 'outgoing connection: use TLS' },
  { name: 'GATEWAY_NETWORK_<n>_WEBSOCKETTIMEOUT', since: '8.1.10', field: 'gatewayNetwork.connections[n].websocketTimeout', description: 'outgoing connection: websocket timeout (ms)' },
  { name: 'EAM_SETUP_INSTALLSELECTION', since: '8.1.10', description: 'Enterprise Administration role: Agent or Controller' },
  { name: 'GATEWAY_MODULES_ENABLED', since: '8.1.17', field: 'modules.enabled', description: 'built-in modules to enable (short names)' },
  { name: 'IGNITION_UID', since: '8.1.17', description: 'user id the gateway runs as' },
  { name: 'IGNITION_GID', since: '8.1.17', description: 'group id the gateway runs as' },
  { name: 'DISABLE_QUICKSTART', since: '8.1.23', field: 'disableQuickstart', description: 'skip the quick-start wizard' },
  { name: 'GATEWAY_NETWORK_<n>_DESCRIPTION', since: '8.1.26', field: 'gatewayNetwork.connections[n].description', description: 'outgoing connection: description' },
  { name: 'GATEWAY_NETWORK_ENABLED', since: '8.1.32', field: 'gatewayNetwork.enabled', description: 'gateway network on or off' },
  { name: 'GATEWAY_NETWORK_REQUIRESSL', since: '8.1.32', field: 'gatewayNetwork.requireSsl', description: 'only TLS connections' },
  { name: 'GATEWAY_NETWORK_REQUIRETWOWAYAUTH', since: '8.1.32', field: 'gatewayNetwork.requireTwoWayAuth', description: 'both sides authenticate' },
  { name: 'GATEWAY_NETWORK_SECURITYPOLICY', since: '8.1.32', field: 'gatewayNetwork.securityPolicy', description: 'ApprovedOnly, Unrestricted or SpecifiedList' },
  { name: 'GATEWAY_NETWORK_WHITELIST', since: '8.1.32', field: 'gatewayNetwork.whitelist', description: 'allowed peers for SpecifiedList' },
  { name: 'GATEWAY_NETWORK_ALLOWINCOMING', since: '8.1.32', field: 'gatewayNetwork.allowIncoming', description: 'accept incoming connections' },
  { name: 'GATEWAY_ENCODING_KEY', since: '8.1.38', field: 'secrets.encodingKey', secret: true, description: 'key that encrypts stored secrets' },
  { name: 'ACCEPT_MODULE_LICENSES', since: '8.3.0', field: 'modules.accept', description: 'module ids whose licences are accepted' },
  { name: 'ACCEPT_MODULE_CERTS', since: '8.3.0', field: 'modules.accept', description: 'module ids whose signing certificates are trusted' },
];

/** Options that are not variables (container arguments, JVM flags) but still need a minimum version. */
export const OPTION_MINIMUM_VERSIONS: Readonly<Record<string, string>> = {
  deploymentMode: '8.3.0',
};

export interface ArgumentEntry {
  argument: string;
  field: string;
  description: string;
}

export const CONTAINER_ARGUMENTS: readonly ArgumentEntry[] = [
  { argument: '-n <name>', field: 'name', description: 'gateway name' },
  { argument: '-m <MiB>', field: 'heap (default 75% of memory)', description: 'JVM maximum heap' },
  { argument: '-r <file>', field: 'restore', description: 'restore this .gwbk on start' },
  { argument: '-a <host> -h <port> -s <port>', field: 'publicAddress', description: 'public address the gateway advertises' },
  { argument: '-- -Dignition.config.mode=<mode>', field: 'deploymentMode', description: '8.3 deployment mode (8.3.0 or later)' },
  { argument: '-- -Dignition.allowunsignedmodules=true', field: 'developerMode', description: 'allow unsigned modules (unconfirmed flag)' },
];

/** Regex for a table name; `<n>` matches a connection index. */
function namePattern(name: string): RegExp {
  return new RegExp(`^${name.replace('<n>', '\\d+')}$`);
}

const PATTERNS = IGNITION_VARIABLES.map((entry) => ({ entry, pattern: namePattern(entry.name) }));

/** The table entry for a concrete variable name such as GATEWAY_NETWORK_0_HOST, if Ignition reads it. */
export function lookupVariable(name: string): VariableEntry | undefined {
  return PATTERNS.find(({ pattern }) => pattern.test(name))?.entry;
}

/** The secret variables and the `secrets.<field>` that names each one's file. */
export const SECRET_VARIABLES: readonly { field: GatewaySecretField; variable: string }[] = IGNITION_VARIABLES.filter(
  (entry) => entry.secret,
).map((entry) => ({ field: entry.field!.slice('secrets.'.length) as GatewaySecretField, variable: entry.name }));
