/**
 * Wires what a project folder holds into a one-gateway spec: modules, JDBC drivers and secret files that the spec
 * does not name are added, so dropping a file into modules/, jdbc/ or secrets/ is enough. Works on the raw spec
 * (before parseStack), so every wired value passes the same validation as a written one.
 * Never wired: a backup to restore (restoring overwrites the gateway, so it must be asked for) and module licence
 * acceptance (accepting a licence is the operator's decision).
 */
import type { BundleScan } from '../bundle/types';
import { SECRET_VARIABLES } from './contract-table';
import { minimumVersionOf } from './contract';
import { isAtLeast, parseGatewayVersion } from './gateway-version';
import { GATEWAY_SECRETS } from './schema';

export interface WiringNote { field: string; file: string; action: 'wired' | 'skipped'; reason?: string }

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function wireBundle(raw: unknown, scan: BundleScan): { spec: unknown; notes: WiringNote[] } {
  // A stack's files belong to particular gateways; only the person writing the stack knows which.
  if (!isRecord(raw) || 'gateways' in raw) return { spec: raw, notes: [] };
  const spec: Raw = { ...raw };
  const notes: WiringNote[] = [];
  const version = typeof spec.version === 'string' ? parseGatewayVersion(spec.version) : undefined;
  const supports = (carrier: string) => version !== undefined && !('error' in version) && isAtLeast(version, minimumVersionOf(carrier));

  const fillList = (key: 'modules' | 'jdbc', listKey: 'files' | 'drivers', found: string[]) => {
    const section = isRecord(spec[key]) ? { ...(spec[key] as Raw) } : {};
    if (found.length === 0 || section[listKey] !== undefined) return;
    section[listKey] = found;
    spec[key] = section;
    for (const file of found) notes.push({ field: `${key}.${listKey}`, file, action: 'wired' });
  };
  fillList('modules', 'files', scan.modules.map((m) => m.path));
  fillList('jdbc', 'drivers', scan.jdbcDrivers.filter((j) => j.driverClasses.length > 0).map((j) => j.path));

  const secrets = isRecord(spec.secrets) ? { ...(spec.secrets as Raw) } : {};
  for (const { field, variable } of SECRET_VARIABLES) {
    const file = scan.secrets.find((s) => s.name === GATEWAY_SECRETS[field]);
    if (!file || secrets[field] !== undefined) continue;
    if (!supports(variable)) {
      notes.push({ field: `secrets.${field}`, file: file.path, action: 'skipped', reason: `needs Ignition ${minimumVersionOf(variable)} or later` });
      continue;
    }
    secrets[field] = file.path;
    notes.push({ field: `secrets.${field}`, file: file.path, action: 'wired' });
  }
  if (Object.keys(secrets).length > 0) spec.secrets = secrets;
  return { spec, notes };
}
