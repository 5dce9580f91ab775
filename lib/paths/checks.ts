/** Low-level path checks shared by spec-path validation and host-path mapping. Each throws a PathError. */
import { PathError } from './errors';

export const MAX_COMPONENT_BYTES = 255;
export const MAX_PATH_BYTES = 4096;
/** Windows MAX_PATH counts the terminating NUL, so 259 characters is the longest usable path. */
export const WINDOWS_MAX_PATH = 260;

const RESERVED_WINDOWS_NAME = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[1-9¹²³]|LPT[1-9¹²³])$/i;

export function assertCleanCharacters(field: string, value: string): void {
  if (value.includes('\u0000')) throw new PathError(field, value, 'contains a NUL byte; remove it');
  if (/[\r\n]/.test(value)) throw new PathError(field, value, 'contains a line break; paths must be one line');
  if (/[\u0001-\u001f\u007f]/.test(value)) throw new PathError(field, value, 'contains control characters; remove them');
}

/** `\\server\share`, `//server/share`, and the `\\?\` / `\\.\` device prefixes. */
export function isUncPath(value: string): boolean {
  return /^[\\/]{2}/.test(value);
}

export function assertNotUnc(field: string, value: string): void {
  if (isUncPath(value)) {
    throw new PathError(
      field,
      value,
      'network (UNC) and device paths cannot be bind-mounted reliably; copy the files to a local drive',
    );
  }
}

/** The reserved device name a component would open on Windows (`nul.txt` is still NUL), or undefined. */
export function windowsReservedName(component: string): string | undefined {
  const stem = component.replace(/[. ]+$/, '').split('.')[0]?.trimEnd() ?? '';
  return RESERVED_WINDOWS_NAME.test(stem) ? stem.toUpperCase() : undefined;
}

export function assertNoReservedNames(field: string, value: string, components: readonly string[]): void {
  for (const component of components) {
    const reserved = windowsReservedName(component);
    if (reserved) {
      throw new PathError(
        field,
        value,
        `"${component}" is the reserved Windows device name ${reserved}; rename it so the project works on every OS`,
      );
    }
  }
}

export interface LengthRules {
  /** Apply the Windows MAX_PATH limit. */
  windows?: boolean;
  /** Windows long paths are enabled (registry LongPathsEnabled), lifting MAX_PATH. */
  longPaths?: boolean;
}

/** Checks each component (bytes) and the whole path (bytes, or characters against MAX_PATH on Windows). */
export function assertLength(field: string, path: string, rules: LengthRules = {}): void {
  for (const component of path.split(/[\\/]/)) {
    if (Buffer.byteLength(component) > MAX_COMPONENT_BYTES) {
      throw new PathError(field, path, `a path component is longer than ${MAX_COMPONENT_BYTES} bytes; shorten it`);
    }
  }
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw new PathError(field, path, `the path is longer than ${MAX_PATH_BYTES} bytes; shorten it`);
  }
  if (rules.windows && !rules.longPaths && path.length >= WINDOWS_MAX_PATH) {
    throw new PathError(
      field,
      path,
      `the path has ${path.length} characters, over the Windows limit of ${WINDOWS_MAX_PATH - 1}; ` +
        'move the project closer to the drive root or enable Windows long paths',
    );
  }
}
