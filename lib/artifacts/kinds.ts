/** The kinds of file the artifact store keeps, with the defaults the upload path applies to each. */
import type { ZipLimits } from '../zip';

export const ARTIFACT_KINDS = ['project', 'backup', 'module', 'jdbc-driver', 'licence', 'other'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export function isArtifactKind(value: unknown): value is ArtifactKind {
  return typeof value === 'string' && (ARTIFACT_KINDS as readonly string[]).includes(value);
}

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** Largest upload accepted per kind, in bytes (the file as uploaded, compressed). */
export const ARTIFACT_SIZE_LIMITS: Readonly<Record<ArtifactKind, number>> = Object.freeze({
  project: 512 * MiB,
  backup: 4 * GiB,
  module: 256 * MiB,
  'jdbc-driver': 64 * MiB,
  licence: 1 * MiB,
  other: 2 * GiB,
});

/** Content type stored with the object and sent on download. */
export const ARTIFACT_CONTENT_TYPES: Readonly<Record<ArtifactKind, string>> = Object.freeze({
  project: 'application/zip',
  backup: 'application/zip',
  module: 'application/zip',
  'jdbc-driver': 'application/java-archive',
  licence: 'text/plain',
  other: 'application/octet-stream',
});

/** File name endings expected per kind, lower case; the first is the one to suggest. Empty: anything goes. */
export const ARTIFACT_EXTENSIONS: Readonly<Record<ArtifactKind, readonly string[]>> = Object.freeze({
  project: ['.zip'],
  backup: ['.gwbk'],
  module: ['.modl'],
  'jdbc-driver': ['.jar'],
  licence: ['.ipl', '.lic', '.txt'],
  other: [],
});

/** How each kind is called in messages. */
export const ARTIFACT_KIND_NOUNS: Readonly<Record<ArtifactKind, string>> = Object.freeze({
  project: 'project export',
  backup: 'gateway backup',
  module: 'module',
  'jdbc-driver': 'JDBC driver jar',
  licence: 'licence file',
  other: 'file',
});

/**
 * Archive caps while inspecting. Projects are decompressed whole (every resource file is hashed), so their total
 * is the tightest; backups are large but only a few small entries are ever decompressed.
 */
export const ARTIFACT_ZIP_LIMITS: Readonly<Record<ArtifactKind, Partial<ZipLimits>>> = Object.freeze({
  project: { maxEntries: 200_000, maxTotalUncompressedBytes: 2 * GiB },
  backup: { maxEntries: 200_000, maxTotalUncompressedBytes: 32 * GiB },
  module: { maxEntries: 50_000, maxTotalUncompressedBytes: 1 * GiB },
  'jdbc-driver': { maxEntries: 50_000, maxTotalUncompressedBytes: 512 * MiB },
  licence: {},
  other: { maxEntries: 200_000, maxTotalUncompressedBytes: 32 * GiB },
});

/** True when the name ends in one of the kind's expected extensions (always true for `other`). */
export function hasExpectedExtension(kind: ArtifactKind, filename: string): boolean {
  const expected = ARTIFACT_EXTENSIONS[kind];
  const lower = filename.toLowerCase();
  return expected.length === 0 || expected.some((extension) => lower.endsWith(extension));
}
