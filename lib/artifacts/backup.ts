/** Inspecting a gateway backup (.gwbk): version, edition, gateway name, redundancy role and project names. */
import { formatVersion } from '../version';
import type { SafeZip } from '../zip';
import { parseBackupInfo } from './descriptors';
import { parseDocument, readDocument, readOptionalDocument } from './documents';
import type { BackupMetadata } from './types';
import { parseXml } from './xml';

const ADVICE = 'it is not a gateway backup: take a new backup from the gateway (.gwbk)';
/** 8.3 keeps the system name as a JSON config resource; 8.1 only in its SQLite database, which we do not open. */
const SYSTEM_PROPERTIES = 'config/resources/core/ignition/system-properties/config.json';

export async function inspectBackup(zip: SafeZip, label: string, sizeBytes: number): Promise<BackupMetadata> {
  const text = await readDocument(zip, 'backupinfo.xml', label, ADVICE);
  const info = parseDocument(() => parseBackupInfo(text), label, ADVICE);
  const gatewayName = systemName(await readOptionalDocument(zip, SYSTEM_PROPERTIES));
  return {
    kind: 'backup',
    sizeBytes,
    version: formatVersion(info.version),
    edition: info.edition ?? null,
    gatewayName,
    gatewayNameSource: gatewayName === null ? null : 'system-properties',
    redundancyRole: redundancyRole(await readOptionalDocument(zip, 'redundancy.xml')),
    projects: projectNames(zip),
  };
}

/** `systemName` from the system-properties resource; null when absent or unreadable (it is informative only). */
export function systemName(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    const name = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).systemName : undefined;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
  } catch {
    return null;
  }
}

/** redundancy.xml is a Java properties file in XML form: `<entry key="redundancy.noderole">Master</entry>`. */
export function redundancyRole(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    const root = parseXml(text);
    const entry = root.children.find((child) => child.name === 'entry' && child.attributes.key === 'redundancy.noderole');
    const role = entry?.text.trim();
    return role ? role : null;
  } catch {
    return null;
  }
}

function projectNames(zip: SafeZip): string[] {
  const names = new Set<string>();
  for (const entry of zip.entries) {
    const match = /^projects\/([^/]+)\/project\.json$/.exec(entry.name);
    if (match?.[1] && !match[1].startsWith('.')) names.add(match[1]);
  }
  return [...names].sort();
}
