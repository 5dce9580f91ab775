import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  formatVersion,
  parseIgnitionVersion,
  sameMajorLine,
  tryParseIgnitionVersion,
  VersionError,
  versionLine,
} from './version';

describe('parseIgnitionVersion', () => {
  it('reads full, short, pre-release and build-stamped forms', () => {
    expect(parseIgnitionVersion('8.1.33')).toMatchObject({ major: 8, minor: 1, patch: 33 });
    expect(parseIgnitionVersion(' 8.3 ')).toMatchObject({ major: 8, minor: 3, patch: 0, raw: '8.3' });
    expect(parseIgnitionVersion('8')).toMatchObject({ major: 8, minor: 0, patch: 0 });
    expect(parseIgnitionVersion('8.3.0-rc1')).toMatchObject({ patch: 0, prerelease: 'rc1' });
    expect(parseIgnitionVersion('8.1.33 (b2023091211)')).toMatchObject({ minor: 1, patch: 33 });
    expect(parseIgnitionVersion('8.1.0-SNAPSHOT').prerelease).toBe('SNAPSHOT');
  });

  it('treats a numeric fourth group as a build number, not a pre-release', () => {
    expect(parseIgnitionVersion('4.0.14.2023012345').prerelease).toBeUndefined();
  });

  it('rejects garbage and names the value', () => {
    for (const bad of ['', 'latest', 'v8.1', '8.x', '8.1.33.', '8..1', '8.1.33; rm -rf /']) {
      expect(() => parseIgnitionVersion(bad)).toThrow(VersionError);
    }
    expect(() => parseIgnitionVersion('latest')).toThrow(/"latest".*8\.1\.33/);
    expect(tryParseIgnitionVersion('nope')).toBeUndefined();
  });

  it('truncates a very long value in the message', () => {
    const error = (() => {
      try {
        parseIgnitionVersion('9'.repeat(500));
      } catch (caught) {
        return caught as VersionError;
      }
      return undefined;
    })();
    expect(error?.value.length).toBeLessThan(70);
  });
});

describe('compareVersions', () => {
  it('orders numerically, not lexically', () => {
    expect(compareVersions('8.1.9', '8.1.33')).toBe(-1);
    expect(compareVersions('8.3.0', '8.1.44')).toBe(1);
    expect(compareVersions('8.1', '8.1.0')).toBe(0);
    expect(compareVersions('9.0.0', '8.99.99')).toBe(1);
  });

  it('puts a pre-release before its release', () => {
    expect(compareVersions('8.3.0-rc1', '8.3.0')).toBe(-1);
    expect(compareVersions('8.3.0', '8.3.0-rc2')).toBe(1);
    expect(compareVersions('8.3.0-rc2', '8.3.0-rc10')).toBe(-1);
    expect(compareVersions('8.3.0-rc2', '8.3.0-rc2')).toBe(0);
  });

  it('accepts parsed versions', () => {
    expect(compareVersions(parseIgnitionVersion('8.1.1'), '8.1.2')).toBe(-1);
  });

  it('throws on an unparsable side', () => {
    expect(() => compareVersions('8.1', 'bogus')).toThrow(VersionError);
  });
});

describe('lines', () => {
  it('compares major.minor', () => {
    expect(sameMajorLine('8.1.33', '8.1.0')).toBe(true);
    expect(sameMajorLine('8.1.33', '8.3.0')).toBe(false);
    expect(sameMajorLine('8.1', '7.1')).toBe(false);
    expect(versionLine('8.3.4')).toBe('8.3');
  });

  it('formats without build stamp', () => {
    expect(formatVersion('8.1.33 (b2023091211)')).toBe('8.1.33');
    expect(formatVersion('8.3-rc1')).toBe('8.3.0-rc1');
  });
});

describe('properties', () => {
  const version = fc
    .tuple(fc.nat(20), fc.nat(20), fc.nat(60), fc.option(fc.constantFrom('rc1', 'rc2', 'rc10', 'beta'), { nil: undefined }))
    .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`);

  it('compareVersions is antisymmetric and formatVersion round-trips', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareVersions(a, b)).toBe(-compareVersions(b, a) || 0);
        expect(formatVersion(a)).toBe(a);
        expect(compareVersions(a, formatVersion(parseIgnitionVersion(a)))).toBe(0);
      }),
    );
  });

  it('compareVersions is transitive', () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        if (compareVersions(a, b) <= 0 && compareVersions(b, c) <= 0) expect(compareVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
