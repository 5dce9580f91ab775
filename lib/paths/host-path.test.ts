import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyHostPlatform,
  PathError,
  toDockerHostPath,
  windowsToDockerDesktopPath,
  windowsToWslPath,
  wslToWindowsPath,
} from './index';

describe('toDockerHostPath', () => {
  it('maps a Windows drive path per platform', () => {
    expect(toDockerHostPath('data', 'C:\\Users\\x', 'wsl')).toBe('/mnt/c/Users/x');
    expect(toDockerHostPath('data', 'C:\\Users\\x', 'win32')).toBe('C:/Users/x');
    expect(toDockerHostPath('data', 'd:/Plants/Line 1/', 'win32')).toBe('D:/Plants/Line 1');
    expect(toDockerHostPath('data', 'D:\\a\\..\\b\\.\\c', 'wsl')).toBe('/mnt/d/b/c');
    expect(toDockerHostPath('data', 'C:\\', 'wsl')).toBe('/mnt/c');
    expect(toDockerHostPath('data', 'C:\\', 'win32')).toBe('C:/');
  });

  it('keeps POSIX paths on Linux, macOS and WSL, normalized', () => {
    expect(toDockerHostPath('data', '/home/x/proj/', 'linux')).toBe('/home/x/proj');
    expect(toDockerHostPath('data', '/Users/x//proj', 'darwin')).toBe('/Users/x/proj');
    expect(toDockerHostPath('data', '/home/x/../y', 'wsl')).toBe('/home/y');
    expect(toDockerHostPath('data', '/', 'linux')).toBe('/');
  });

  it('turns WSL drive mounts back into drive paths for Docker Desktop', () => {
    expect(toDockerHostPath('data', '/mnt/c/Users/x', 'win32')).toBe('C:/Users/x');
    expect(toDockerHostPath('data', '/drives/e/x', 'win32', { wslMountRoot: '/drives/' })).toBe('E:/x');
    expect(toDockerHostPath('data', 'C:\\x', 'wsl', { wslMountRoot: '/' })).toBe('/c/x');
  });

  it.each([
    ['UNC on any platform', '\\\\nas\\share\\proj', 'wsl', /UNC/],
    ['forward UNC', '//nas/share', 'linux', /UNC/],
    ['relative', 'modules/x.modl', 'linux', /absolute/],
    ['drive-relative', 'C:proj', 'win32', /absolute/],
    ['Windows path on Linux', 'C:\\Users\\x', 'linux', /cannot be mounted on linux/],
    ['Windows path on macOS', 'C:/Users/x', 'darwin', /cannot be mounted on darwin/],
    ['Linux path on Docker Desktop', '/home/x', 'win32', /Docker Desktop/],
    ['newline', '/home/x\n/etc', 'linux', /line break/],
    ['NUL', '/home/x\u0000', 'linux', /NUL/],
  ] as const)('refuses %s, naming the field', (_label, value, platform, reason) => {
    let caught: unknown;
    try {
      toDockerHostPath('volumes.data', value, platform);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PathError);
    expect((caught as PathError).field).toBe('volumes.data');
    expect((caught as PathError).reason).toMatch(reason);
  });

  it('applies MAX_PATH to the Docker Desktop target unless long paths are on', () => {
    const long = `C:\\${'p'.repeat(200)}\\${'q'.repeat(60)}`;
    expect(() => toDockerHostPath('data', long, 'win32')).toThrow(/Windows limit/);
    expect(toDockerHostPath('data', long, 'win32', { longPaths: true })).toHaveLength(264);
    expect(toDockerHostPath('data', long, 'wsl')).toMatch(/^\/mnt\/c\/p+\/q+$/);
  });

  it('leaves non-drive Linux paths alone in wslToWindowsPath', () => {
    expect(wslToWindowsPath('/home/x')).toBeUndefined();
    expect(wslToWindowsPath('/mnt/wsl/x')).toBeUndefined();
    expect(wslToWindowsPath('/mnt/c')).toBe('C:/');
  });
});

describe('property: Windows <-> WSL mapping round-trips', () => {
  const segment = fc
    .string({ minLength: 1, maxLength: 10 })
    .filter((part) => !/[\\/:*?"<>|\u0000-\u001f]/.test(part) && part !== '.' && part !== '..');
  const windowsPath = fc
    .tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), fc.array(segment, { maxLength: 6 }))
    .map(([drive, parts]) => ({ drive, parts, path: `${drive}:\\${parts.join('\\')}` }));

  it('Windows -> WSL -> Windows gives the Docker Desktop form', () => {
    fc.assert(
      fc.property(windowsPath, fc.constantFrom('/mnt', '/', '/drives'), ({ path }, wslMountRoot) => {
        const wsl = windowsToWslPath(path, { wslMountRoot });
        expect(wslToWindowsPath(wsl, { wslMountRoot })).toBe(windowsToDockerDesktopPath(path));
      }),
      { numRuns: 500 },
    );
  });

  it('WSL -> Windows -> WSL is the identity on drive mounts', () => {
    fc.assert(
      fc.property(windowsPath, ({ drive, parts }) => {
        const wsl = ['/mnt', drive.toLowerCase(), ...parts].join('/');
        const windows = wslToWindowsPath(wsl);
        expect(windows).toBeDefined();
        expect(windowsToWslPath(windows ?? '')).toBe(wsl);
      }),
      { numRuns: 500 },
    );
  });
});

describe('classifyHostPlatform', () => {
  it('tells WSL2 from Linux', () => {
    expect(classifyHostPlatform({ platform: 'linux', procVersion: 'Linux version 5.15.90.1-microsoft-standard-WSL2' })).toBe('wsl');
    expect(classifyHostPlatform({ platform: 'linux', env: { WSL_DISTRO_NAME: 'Ubuntu' } })).toBe('wsl');
    expect(classifyHostPlatform({ platform: 'linux', procVersion: 'Linux version 6.1.0-18-amd64' })).toBe('linux');
    expect(classifyHostPlatform({ platform: 'darwin' })).toBe('darwin');
    expect(classifyHostPlatform({ platform: 'win32' })).toBe('win32');
  });
});
