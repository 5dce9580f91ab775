/**
 * Host paths as the Docker engine on each platform expects them in a bind mount. Pure functions: the target
 * platform is an argument, so every mapping is testable on Linux.
 *
 *   linux, darwin  `/home/x`            -> `/home/x`            (Windows paths are refused)
 *   wsl            `C:\Users\x`         -> `/mnt/c/Users/x`     (engine inside a WSL2 distro)
 *   win32          `C:\Users\x`         -> `C:/Users/x`         (Docker Desktop on Windows)
 *                  `/mnt/c/Users/x`     -> `C:/Users/x`
 */
import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import { assertCleanCharacters, assertLength, assertNotUnc } from './checks';
import { PathError } from './errors';

export type HostPlatform = 'linux' | 'darwin' | 'win32' | 'wsl';

export const HOST_PLATFORMS: readonly HostPlatform[] = ['linux', 'darwin', 'win32', 'wsl'];

export interface HostPathOptions {
  /** WSL's automount root (`[automount] root` in wsl.conf); `/mnt` unless changed. */
  wslMountRoot?: string;
  /** Windows long paths are enabled, lifting MAX_PATH for the win32 target. */
  longPaths?: boolean;
}

const DRIVE_ABSOLUTE = /^([A-Za-z]):[\\/]/;

export function isWindowsDrivePath(value: string): boolean {
  return DRIVE_ABSOLUTE.test(value);
}

/** `C:\Users\x` -> `/mnt/c/Users/x`. Resolves `.` and `..`; the input must be a drive-absolute path. */
export function windowsToWslPath(value: string, options: HostPathOptions = {}): string {
  const { drive, segments } = splitWindowsPath(value);
  const mountRoot = posix.normalize(options.wslMountRoot ?? '/mnt').replace(/\/$/, '');
  return [mountRoot, drive.toLowerCase(), ...segments].join('/');
}

/** `C:\Users\x` or `c:/Users/x` -> `C:/Users/x` (the form Docker Desktop and Compose accept on Windows). */
export function windowsToDockerDesktopPath(value: string): string {
  const { drive, segments } = splitWindowsPath(value);
  return `${drive.toUpperCase()}:/${segments.join('/')}`;
}

/** `/mnt/c/Users/x` -> `C:/Users/x`, or undefined when the path is not under the WSL drive mounts. */
export function wslToWindowsPath(value: string, options: HostPathOptions = {}): string | undefined {
  const mountRoot = posix.normalize(options.wslMountRoot ?? '/mnt').replace(/\/$/, '');
  const normalized = posix.normalize(value);
  const prefix = `${mountRoot}/`;
  if (!normalized.startsWith(prefix)) return undefined;
  const [drive, ...rest] = normalized.slice(prefix.length).split('/');
  if (!drive || !/^[a-z]$/i.test(drive)) return undefined;
  return `${drive.toUpperCase()}:/${rest.filter(Boolean).join('/')}`;
}

/**
 * The bind-mount source for `value` on `platform`. `field` names the spec field in errors.
 * Throws PathError for UNC paths, control characters, relative paths, and paths the platform cannot mount.
 */
export function toDockerHostPath(
  field: string,
  value: string,
  platform: HostPlatform,
  options: HostPathOptions = {},
): string {
  const mapped = mapHostPath(field, value, platform, options);
  assertLength(field, mapped, { windows: platform === 'win32', longPaths: options.longPaths });
  return mapped;
}

function mapHostPath(field: string, value: string, platform: HostPlatform, options: HostPathOptions): string {
  assertCleanCharacters(field, value);
  assertNotUnc(field, value);
  const windowsStyle = isWindowsDrivePath(value);
  if (!windowsStyle && !value.startsWith('/')) {
    throw new PathError(field, value, 'a bind source must be absolute; resolve it against the project root first');
  }
  switch (platform) {
    case 'linux':
    case 'darwin':
      if (windowsStyle) {
        throw new PathError(field, value, `a Windows drive path cannot be mounted on ${platform}; use a ${platform} path`);
      }
      return normalizePosix(value);
    case 'wsl':
      return windowsStyle ? windowsToWslPath(value, options) : normalizePosix(value);
    case 'win32': {
      if (windowsStyle) return windowsToDockerDesktopPath(value);
      const fromWsl = wslToWindowsPath(value, options);
      if (fromWsl) return fromWsl;
      throw new PathError(
        field,
        value,
        'is a Linux path, which Docker Desktop on Windows cannot resolve; use a drive path such as C:/projects/plant',
      );
    }
  }
}

/** What the current machine is, telling WSL2 apart from plain Linux. */
export function classifyHostPlatform(facts: {
  platform: string;
  env?: Record<string, string | undefined>;
  procVersion?: string;
}): HostPlatform {
  if (facts.platform === 'win32' || facts.platform === 'darwin') return facts.platform;
  const wsl = Boolean(facts.env?.WSL_DISTRO_NAME) || /microsoft/i.test(facts.procVersion ?? '');
  return wsl ? 'wsl' : 'linux';
}

export function detectHostPlatform(): HostPlatform {
  let procVersion = '';
  if (process.platform === 'linux') {
    try {
      procVersion = readFileSync('/proc/version', 'utf8');
    } catch {
      // No /proc (a restricted container): plain Linux is the safe answer.
    }
  }
  return classifyHostPlatform({ platform: process.platform, env: process.env, procVersion });
}

function splitWindowsPath(value: string): { drive: string; segments: string[] } {
  const match = DRIVE_ABSOLUTE.exec(value);
  if (!match?.[1]) throw new PathError('path', value, 'expected a Windows drive path such as C:\\Users\\me');
  const normalized = win32.normalize(value);
  const segments = normalized.slice(3).split('\\').filter(Boolean);
  return { drive: match[1], segments };
}

function normalizePosix(value: string): string {
  const normalized = posix.normalize(value);
  return normalized.length > 1 ? normalized.replace(/\/$/, '') : normalized;
}
