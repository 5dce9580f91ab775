/** Inspecting a module (.modl) and a JDBC driver jar. */
import type { SafeZip } from '../zip';
import { DRIVER_SERVICE_FILE, parseDriverServiceFile, parseModuleXml } from './descriptors';
import { parseDocument, readDocument, readOptionalDocument } from './documents';
import { ArtifactRejected } from './errors';
import type { JdbcDriverMetadata, ModuleMetadata } from './types';

const MODULE_ADVICE = "it is not an Ignition module: download the .modl again from its vendor";

export async function inspectModule(zip: SafeZip, label: string, sizeBytes: number): Promise<ModuleMetadata> {
  const text = await readDocument(zip, 'module.xml', label, MODULE_ADVICE);
  const descriptor = parseDocument(() => parseModuleXml(text), label, MODULE_ADVICE);
  return {
    kind: 'module',
    sizeBytes,
    id: descriptor.id,
    name: descriptor.name,
    version: descriptor.version,
    requiredIgnitionVersion: descriptor.requiredIgnitionVersion ?? null,
    requiredFrameworkVersion: descriptor.requiredFrameworkVersion ?? null,
    licence: descriptor.license ?? null,
    dependencies: descriptor.depends,
    signed: zip.has('signatures.properties'),
  };
}

export async function inspectJdbcDriver(zip: SafeZip, label: string, sizeBytes: number): Promise<JdbcDriverMetadata> {
  const service = await readOptionalDocument(zip, DRIVER_SERVICE_FILE);
  const fromService = service === undefined ? [] : parseDriverServiceFile(service).classes;
  const driverClasses = fromService.length > 0 ? fromService : driverClassEntries(zip);
  if (driverClasses.length === 0) {
    throw new ArtifactRejected(
      'no-driver',
      `${label} declares no JDBC driver (no ${DRIVER_SERVICE_FILE} and no class named *Driver); ` +
        "upload the database vendor's JDBC driver jar",
    );
  }
  const manifest = parseManifest(await readOptionalDocument(zip, 'META-INF/MANIFEST.MF'));
  return {
    kind: 'jdbc-driver',
    sizeBytes,
    driverClasses,
    driverClassesFrom: fromService.length > 0 ? 'service-file' : 'class-names',
    implementationTitle: clip(manifest.get('Implementation-Title')),
    implementationVersion: clip(manifest.get('Implementation-Version')),
  };
}

/** Manifest values are free text from the upload: keep them to one short line. */
function clip(value: string | undefined): string | null {
  if (!value) return null;
  return value.length > 200 ? `${value.slice(0, 200)}...` : value;
}

/** Top-level classes named *Driver (inner classes, with `$`, are never the registered driver). */
function driverClassEntries(zip: SafeZip): string[] {
  return zip.entries
    .map((entry) => entry.name)
    .filter((name) => /(^|\/)[A-Za-z_][\w]*Driver\.class$/.test(name) && !name.startsWith('META-INF/'))
    .map((name) => name.slice(0, -'.class'.length).replace(/\//g, '.'))
    .sort();
}

/** The main section of a jar manifest (`Key: value`, continuation lines start with one space). */
export function parseManifest(text: string | undefined): Map<string, string> {
  const headers = new Map<string, string>();
  if (text === undefined) return headers;
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (line.startsWith(' ') && last !== undefined) {
      headers.set(last, `${headers.get(last) ?? ''}${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    headers.set(last, line.slice(colon + 1).trim());
  }
  return headers;
}
