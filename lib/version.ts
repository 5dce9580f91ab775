/**
 * Ignition version parsing and comparison.
 *
 * Ignition numbers releases `major.minor.patch` (8.1.33, 8.3.0). A "line" is `major.minor`: 8.1 and 8.3 are
 * different lines and modules built for one are refused by the other. Inputs seen in the wild carry extras we
 * tolerate: a pre-release tag (`8.3.0-rc1`, `8.1.0-SNAPSHOT`), a build stamp (`8.1.33 (b2023091211)`), and
 * shortened forms (`8`, `8.1`) in module requirements, where missing parts count as 0.
 */

export interface IgnitionVersion {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release tag without the dash, e.g. `rc1`; undefined for a release. Sorts before the release. */
  prerelease?: string;
  /** The input, trimmed. */
  raw: string;
}

export class VersionError extends Error {
  constructor(
    readonly value: string,
    reason: string,
  ) {
    super(`Invalid Ignition version "${value}": ${reason}`);
    this.name = 'VersionError';
  }
}

// major[.minor[.patch[.build]]][-prerelease][ (bBUILD)]
const VERSION_PATTERN =
  /^(\d{1,4})(?:\.(\d{1,4})(?:\.(\d{1,6})(?:\.\d{1,12})?)?)?(?:-([0-9A-Za-z][0-9A-Za-z.-]{0,39}))?(?:\s*\(b?\d+\))?$/;

/** Parses `8.1.33`, `8.3`, `8.3.0-rc1`, `8.1.33 (b2023091211)`. Throws VersionError otherwise. */
export function parseIgnitionVersion(text: string): IgnitionVersion {
  const raw = String(text).trim();
  const printable = raw.length > 60 ? `${raw.slice(0, 60)}...` : raw;
  const match = VERSION_PATTERN.exec(raw);
  if (!match) {
    throw new VersionError(printable, 'expected major.minor.patch such as 8.1.33 or 8.3.0');
  }
  const [, major, minor, patch, prerelease] = match;
  // A fourth numeric group (module builds like 4.0.14.2023012345) is a build number and is dropped.
  const version: IgnitionVersion = {
    major: Number(major),
    minor: Number(minor ?? 0),
    patch: Number(patch ?? 0),
    raw,
  };
  if (prerelease !== undefined) version.prerelease = prerelease;
  return version;
}

/** Like parseIgnitionVersion, but returns undefined instead of throwing. */
export function tryParseIgnitionVersion(text: string): IgnitionVersion | undefined {
  try {
    return parseIgnitionVersion(text);
  } catch {
    return undefined;
  }
}

type VersionInput = string | IgnitionVersion;

function toVersion(input: VersionInput): IgnitionVersion {
  return typeof input === 'string' ? parseIgnitionVersion(input) : input;
}

/** Negative when a < b, 0 when equal, positive when a > b. A pre-release sorts before its release. */
export function compareVersions(a: VersionInput, b: VersionInput): number {
  const left = toVersion(a);
  const right = toVersion(b);
  const numeric = left.major - right.major || left.minor - right.minor || left.patch - right.patch;
  if (numeric !== 0) return Math.sign(numeric);
  if (left.prerelease === right.prerelease) return 0;
  if (left.prerelease === undefined) return 1;
  if (right.prerelease === undefined) return -1;
  return left.prerelease.localeCompare(right.prerelease, 'en', { numeric: true }) > 0 ? 1 : -1;
}

/** The release line, `major.minor` (e.g. `8.1`). */
export function versionLine(input: VersionInput): string {
  const version = toVersion(input);
  return `${version.major}.${version.minor}`;
}

/** True when both versions are on the same release line (8.1.x vs 8.1.y), false for 8.1 vs 8.3. */
export function sameMajorLine(a: VersionInput, b: VersionInput): boolean {
  return versionLine(a) === versionLine(b);
}

/** Formats as `major.minor.patch[-prerelease]`, dropping any build stamp. */
export function formatVersion(input: VersionInput): string {
  const version = toVersion(input);
  const base = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease ? `${base}-${version.prerelease}` : base;
}
