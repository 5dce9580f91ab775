// The official image's `_FILE` convention: any variable X may instead be given as X_FILE, the path of a file
// holding the value (Docker and Kubernetes secrets). One trailing newline is stripped.
import { readFileSync } from 'node:fs';

const FILE_SUFFIX = '_FILE';

/**
 * @param {Record<string, string | undefined>} env
 * @returns {{ env: Record<string, string>, errors: string[] }} resolved variables, and problems that must
 *   keep the gateway in COMMISSIONING. Messages name variables and paths, never values.
 */
export function resolveEnvironment(env) {
  const resolved = {};
  const errors = [];
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !name.endsWith(FILE_SUFFIX)) resolved[name] = value;
  }
  for (const [name, path] of Object.entries(env)) {
    if (!name.endsWith(FILE_SUFFIX) || name.length === FILE_SUFFIX.length || path === undefined) continue;
    const target = name.slice(0, -FILE_SUFFIX.length);
    if (env[target] !== undefined) {
      errors.push(`both ${target} and ${name} are set; set only one of them`);
      delete resolved[target];
      continue;
    }
    try {
      resolved[target] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (cause) {
      errors.push(`${name} points at ${path}, which cannot be read (${cause.code ?? 'error'}); mount the file or unset ${name}`);
    }
  }
  return { env: resolved, errors };
}
