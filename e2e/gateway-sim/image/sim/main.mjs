// Entry point of the gateway simulator: reads arguments and environment the way the official image does,
// commissions (or refuses to), serves HTTP and stops cleanly on SIGTERM.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseArguments } from './args.mjs';
import { readBackup, restoreBackup } from './backup.mjs';
import { resolveEnvironment } from './env.mjs';
import { createGateway } from './gateway.mjs';
import { createHttpServer } from './http.mjs';
import { error, info, warn } from './log.mjs';
import { gatewayRoutes } from './routes.mjs';
import { createStore } from './store.mjs';
import { commaSet } from './text.mjs';

const INSTALL_DIR = process.env.SIM_INSTALL_DIR ?? '/usr/local/bin/ignition';
const DEFAULT_HEAP_MB = 1024;

const args = parseArguments(process.argv.slice(2));
info('boot', `arguments: ${JSON.stringify(process.argv.slice(2))}`);
for (const token of args.ignored) info('boot', `ignoring argument the simulator does not use: ${token}`);
if (args.passThrough.length > 0) info('boot', `ignoring JVM/wrapper settings after --: ${args.passThrough.join(' ')}`);
for (const problem of args.problems) warn('boot', problem);

const { env, errors: envErrors } = resolveEnvironment(process.env);
for (const problem of envErrors) error('boot', problem);

const store = createStore(join(INSTALL_DIR, 'data'));
const gateway = createGateway({
  store,
  version: env.IGNITION_VERSION ?? '0.0.0',
  edition: env.IGNITION_EDITION ?? 'standard',
  maxHeapMb: args.maxHeapMb ?? DEFAULT_HEAP_MB,
  startupDelayMs: startupDelay(env.SIM_STARTUP_DELAY_MS),
  defaultName: `Ignition-${hostname()}`,
});

const server = createHttpServer(
  gatewayRoutes(gateway, {
    apiToken: env.SIM_API_TOKEN,
    modules: {
      modulesDir: join(INSTALL_DIR, 'user-lib', 'modules'),
      acceptedLicenses: commaSet(env.ACCEPT_MODULE_LICENSES),
      acceptedCerts: commaSet(env.ACCEPT_MODULE_CERTS),
    },
  }),
);
const port = Number(env.GATEWAY_HTTP_PORT ?? 8088);
server.listen(port, () => info('http', `listening on port ${port}`));

const waitingFor = commissioningProblems();
if (waitingFor.length > 0) {
  for (const problem of waitingFor) warn('gateway', `COMMISSIONING: ${problem}`);
} else {
  try {
    firstStart();
  } catch (cause) {
    // Like a real gateway that cannot write its data folder: say why and stop, so the container shows it.
    error('boot', `cannot prepare ${store.dataDir}: ${cause.message}; the data volume must be writable by uid ${process.getuid?.()}`);
    process.exit(1);
  }
  gateway.start('commissioned');
}

process.on('SIGTERM', () => shutDown('SIGTERM'));
process.on('SIGINT', () => shutDown('SIGINT'));

function commissioningProblems() {
  if (envErrors.length > 0) return ['the environment has errors (logged above); fix them and recreate the container'];
  if (store.readState().commissioned) return [];
  const problems = [];
  if (env.ACCEPT_IGNITION_EULA !== 'Y') problems.push('the EULA is not accepted; set ACCEPT_IGNITION_EULA=Y');
  if (!env.GATEWAY_ADMIN_PASSWORD) problems.push('no admin password; set GATEWAY_ADMIN_PASSWORD or GATEWAY_ADMIN_PASSWORD_FILE');
  return problems;
}

// Restore (-r) happens only on the first start of a data volume, then the marker is written; -n always applies.
function firstStart() {
  if (!store.hasSeedMarker()) {
    if (args.restorePath && isTruthy(env.GATEWAY_RESTORE_DISABLED)) info('boot', `GATEWAY_RESTORE_DISABLED is set; not restoring ${args.restorePath}`);
    else if (args.restorePath) restoreFromFile(args.restorePath);
    store.updateState({ commissioned: true, adminUsername: env.GATEWAY_ADMIN_USERNAME ?? 'admin' });
    store.writeSeedMarker();
    info('boot', 'first start on this data volume: commissioned');
  }
  if (args.gatewayName) store.updateState({ gatewayName: args.gatewayName });
  info('boot', `gateway name ${gateway.gatewayName}, Ignition ${gateway.version} ${gateway.edition}, max heap ${gateway.maxHeapMb} MB`);
}

function restoreFromFile(path) {
  try {
    const backup = readBackup(readFileSync(path));
    restoreBackup(store, backup, gateway.version);
    info('boot', `restored ${path} (made by Ignition ${backup.version}, projects: ${[...backup.projects.keys()].join(', ') || 'none'})`);
  } catch (cause) {
    error('boot', `could not restore ${path}: ${cause.message}; starting with an empty gateway`);
  }
}

function shutDown(signal) {
  info('boot', `${signal} received; stopping`);
  gateway.stop();
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
}

function startupDelay(raw) {
  const delay = Number(raw ?? 2000);
  if (Number.isFinite(delay) && delay >= 0) return delay;
  warn('boot', `SIM_STARTUP_DELAY_MS=${raw} is not a number of milliseconds; using 2000`);
  return 2000;
}

function isTruthy(value) {
  return ['1', 'true', 'y', 'yes'].includes(String(value ?? '').toLowerCase());
}
