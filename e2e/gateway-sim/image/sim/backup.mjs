// Gateway backups (.gwbk): a zip with backupinfo.xml (<version>, <edition>), ignition.conf, redundancy.xml,
// the 8.3 config/ tree (the system name lives in the system-properties resource) and projects/.
import { ApiError } from './http.mjs';
import { unzipBody } from './projects.mjs';
import { assertProjectName } from './store.mjs';
import { compareVersions, escapeXml, tagText } from './text.mjs';
import { writeZip } from './zip.mjs';

const SYSTEM_PROPERTIES = 'config/resources/core/ignition/system-properties/config.json';
const PROJECTS_PREFIX = 'projects/';

/** @param {{ store, version: string, edition: string, gatewayName: string, maxHeapMb: number }} gateway */
export function createBackup(gateway) {
  const { store } = gateway;
  const entries = [
    ['backupinfo.xml', backupInfoXml(gateway)],
    ['ignition.conf', `wrapper.java.initmemory=${Math.min(256, gateway.maxHeapMb)}\nwrapper.java.maxmemory=${gateway.maxHeapMb}\n`],
    ['redundancy.xml', propertiesXml({ 'redundancy.noderole': 'Independent' })],
    [SYSTEM_PROPERTIES, JSON.stringify({ systemName: gateway.gatewayName }, null, 2)],
  ];
  for (const name of store.listProjectNames()) {
    for (const [path, content] of store.readProjectFiles(name)) entries.push([`${PROJECTS_PREFIX}${name}/${path}`, content]);
  }
  return { fileName: `${gateway.gatewayName}_${timestamp()}.gwbk`, zip: writeZipSorted(entries) };
}

/** Checks a .gwbk and splits it into what a restore needs. */
export function readBackup(body) {
  const files = unzipBody(body, 'backup');
  const info = files.get('backupinfo.xml')?.toString('utf8');
  const version = info === undefined ? undefined : tagText(info, 'version');
  if (!version) throw new ApiError(400, 'backup has no backupinfo.xml with a <version>; send a .gwbk made by a gateway');
  const projects = new Map();
  for (const [path, content] of files) {
    if (!path.startsWith(PROJECTS_PREFIX)) continue;
    const [name, ...rest] = path.slice(PROJECTS_PREFIX.length).split('/');
    if (!name || rest.length === 0) continue;
    assertProjectName(name);
    if (!projects.has(name)) projects.set(name, new Map());
    projects.get(name).set(rest.join('/'), content);
  }
  return { version, edition: tagText(info, 'edition'), gatewayName: systemName(files), projects };
}

/** Replaces projects and name with the backup's; a backup from a newer gateway is refused, as Ignition does. */
export function restoreBackup(store, backup, gatewayVersion) {
  if (compareVersions(backup.version, gatewayVersion) > 0) {
    throw new ApiError(409, `backup was made by Ignition ${backup.version}, newer than this gateway (${gatewayVersion}); restore it on ${backup.version} or later`);
  }
  store.replaceAllProjects(backup.projects);
  const patch = { restoredBackup: { version: backup.version, at: new Date().toISOString() } };
  if (backup.gatewayName) patch.gatewayName = backup.gatewayName;
  return store.updateState(patch);
}

function systemName(files) {
  const raw = files.get(SYSTEM_PROPERTIES);
  if (!raw) return undefined;
  try {
    const name = JSON.parse(raw.toString('utf8')).systemName;
    return typeof name === 'string' && name ? name : undefined;
  } catch {
    throw new ApiError(400, `backup entry ${SYSTEM_PROPERTIES} is not valid JSON`);
  }
}

function backupInfoXml({ version, edition }) {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<backupinfo>',
    `  <version>${escapeXml(version)}</version>`,
    `  <edition>${escapeXml(edition)}</edition>`,
    `  <timestamp>${Date.now()}</timestamp>`,
    '</backupinfo>',
    '',
  ].join('\n');
}

function propertiesXml(properties) {
  const entries = Object.entries(properties).map(([k, v]) => `  <entry key="${escapeXml(k)}">${escapeXml(v)}</entry>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">', '<properties>', ...entries, '</properties>', ''].join('\n');
}

function timestamp() {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

function writeZipSorted(entries) {
  return writeZip(entries.sort(([a], [b]) => a.localeCompare(b)));
}
