import { compareVersions } from '../version';

/** An Ignition release a gateway can run: exactly major.minor.patch on a supported line. */
export interface GatewayVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

/** The release lines Switchyard knows the container contract of (see IGNITION.md's table). */
export const SUPPORTED_LINES = ['8.1', '8.3'] as const;

const EXACT_VERSION = /^(\d{1,3})\.(\d{1,3})\.(\d{1,4})$/;

/** Parses an image version; returns an error message (naming the value and the fix) instead of throwing. */
export function parseGatewayVersion(input: string): GatewayVersion | { error: string } {
  const match = EXACT_VERSION.exec(input);
  if (!match) {
    return {
      error: `"${printable(input)}" is not an Ignition version; give a full release such as 8.1.44 or 8.3.4 (no "latest", no ranges)`,
    };
  }
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const line = `${major}.${minor}`;
  if (!(SUPPORTED_LINES as readonly string[]).includes(line)) {
    return { error: `Ignition ${input} is not supported; Switchyard runs the ${SUPPORTED_LINES.join('.x and ')}.x lines` };
  }
  return { major, minor, patch, text: `${major}.${minor}.${patch}` };
}

/** True when `version` is `since` or newer. */
export function isAtLeast(version: GatewayVersion, since: string): boolean {
  return compareVersions(version.text, since) >= 0;
}

function printable(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}...` : value;
}
