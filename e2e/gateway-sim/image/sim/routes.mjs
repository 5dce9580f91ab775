// Ignition's HTTP surface: /StatusPing and /system/gwinfo without auth, and the 8.3 REST subset under
// /data/api/v1/ behind the X-Ignition-API-Token header.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createBackup, readBackup, restoreBackup } from './backup.mjs';
import { ApiError } from './http.mjs';
import { scanModules } from './modules.mjs';
import { exportProject, importProject, listProjects } from './projects.mjs';

const API = '/data/api/v1';

/**
 * @param {ReturnType<import('./gateway.mjs').createGateway>} gateway
 * @param {{ apiToken?: string, modules: Omit<Parameters<typeof scanModules>[0], 'gatewayVersion'> }} options
 */
export function gatewayRoutes(gateway, { apiToken, modules }) {
  const api = (method, path, handle) => ({
    method,
    path: new RegExp(`^${API}/${path}$`),
    handle: (request) => {
      authorize(apiToken, request.headers['x-ignition-api-token']);
      if (gateway.state !== 'RUNNING') {
        throw new ApiError(503, `gateway is ${gateway.state}; retry when /StatusPing reports RUNNING`);
      }
      return handle(request);
    },
  });
  const scan = () => scanModules({ ...modules, gatewayVersion: gateway.version });

  return [
    { method: 'GET', path: /^\/StatusPing$/, handle: () => ({ json: { state: gateway.state } }) },
    { method: 'GET', path: /^\/system\/gwinfo$/, handle: () => ({ text: gwinfo(gateway) }) },
    api('GET', 'gateway-info', () => ({ json: gatewayInfo(gateway) })),
    api('GET', 'projects/list', () => ({ json: { items: listProjects(gateway.store) } })),
    api('GET', 'projects/export/([^/]+)', ({ params: [name] }) => ({
      binary: exportProject(gateway.store, name),
      headers: { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${name}.zip"` },
    })),
    api('POST', 'projects/import/([^/]+)', async ({ params: [name], query, body }) => ({
      json: importProject(gateway.store, name, await body(), query.get('overwrite') === 'true'),
    })),
    api('GET', 'backup', () => {
      const { fileName, zip } = createBackup(gateway);
      return {
        binary: zip,
        headers: { 'Content-Type': 'application/zip', 'Content-Disposition': `attachment; filename="${fileName}"` },
      };
    }),
    api('POST', 'backup', async ({ body }) => {
      const backup = readBackup(await body());
      restoreBackup(gateway.store, backup, gateway.version);
      // A real gateway restarts after a restore; clients wait for RUNNING again.
      gateway.start(`restored a backup from ${backup.version}`);
      return { json: { restored: true, version: backup.version, projects: [...backup.projects.keys()].sort() } };
    }),
    api('GET', 'modules/healthy', () => ({ json: { items: scan().filter((m) => m.state === 'healthy') } })),
    api('GET', 'modules/quarantined', () => ({ json: { items: scan().filter((m) => m.state === 'quarantined') } })),
  ];
}

function authorize(expected, given) {
  if (!expected) {
    throw new ApiError(401, 'this gateway has no API token configured; start the simulator with SIM_API_TOKEN or SIM_API_TOKEN_FILE');
  }
  if (typeof given !== 'string' || given === '') {
    throw new ApiError(401, 'missing X-Ignition-API-Token header; send the gateway API token');
  }
  if (!timingSafeEqual(digest(given), digest(expected))) {
    throw new ApiError(401, 'the X-Ignition-API-Token is not valid for this gateway; check the token');
  }
}

const digest = (text) => createHash('sha256').update(text).digest();

function gatewayInfo(gateway) {
  return {
    name: gateway.gatewayName,
    version: gateway.version,
    edition: gateway.edition,
    state: gateway.state,
    maxHeapMb: gateway.maxHeapMb,
    redundancyRole: 'Independent',
    restoredBackup: gateway.store.readState().restoredBackup ?? null,
  };
}

function gwinfo(gateway) {
  const pairs = {
    ContextStatus: gateway.state,
    Version: gateway.version,
    OS: 'Linux',
    RedundancyStatus: 'Independent',
    RedundancyNodeActiveStatus: 'Active',
    PlatformName: gateway.gatewayName,
    PlatformEdition: gateway.edition,
    MaxMemoryMb: gateway.maxHeapMb,
  };
  return Object.entries(pairs).map(([key, value]) => `${key}=${value};`).join('');
}
