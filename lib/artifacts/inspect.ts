/**
 * inspectArtifact: what an uploaded file is, read without extracting it. Zips are read through their central
 * directory and only the entries each kind needs, so a RandomAccessSource over a stored object costs a few ranged
 * reads (projects are the exception: every resource file is hashed).
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isRandomAccessSource, openSafeZip, ZipError, type BlockCacheOptions, type RandomAccessSource, type SafeZip, type ZipLimits } from '../zip';
import { formatBytes } from '../format/bytes';
import { inspectBackup } from './backup';
import { assertNotAnotherKind, guessKind } from './detect';
import { ArtifactRejected } from './errors';
import { ARTIFACT_KIND_NOUNS, ARTIFACT_SIZE_LIMITS, ARTIFACT_ZIP_LIMITS, type ArtifactKind } from './kinds';
import { inspectLicence, looksLikeZip } from './licence';
import { inspectJdbcDriver, inspectModule } from './module';
import { inspectProject } from './project';
import type { ArtifactMetadata } from './types';

export type ArtifactSource = string | Buffer | RandomAccessSource;

export interface InspectOptions {
  /** The file's name as the uploader knows it; used in every message (never the file's content). */
  label?: string;
  /** Largest accepted file; defaults to the kind's ARTIFACT_SIZE_LIMITS entry. */
  maxBytes?: number;
  /** Overrides of the kind's archive caps (ARTIFACT_ZIP_LIMITS). */
  limits?: Partial<ZipLimits>;
  /** Block cache for a RandomAccessSource: larger blocks mean fewer ranged requests. */
  cache?: BlockCacheOptions;
}

type ZipInspector = (zip: SafeZip, label: string, sizeBytes: number) => Promise<ArtifactMetadata>;
const ZIP_INSPECTORS: Record<Exclude<ArtifactKind, 'licence' | 'other'>, ZipInspector> = {
  project: inspectProject,
  backup: inspectBackup,
  module: inspectModule,
  'jdbc-driver': inspectJdbcDriver,
};

/** Reads the file as `kind` and returns what it holds; throws ArtifactRejected when it cannot be stored as that kind. */
export async function inspectArtifact(
  kind: ArtifactKind,
  source: ArtifactSource,
  options: InspectOptions = {},
): Promise<ArtifactMetadata> {
  const label = options.label ?? (typeof source === 'string' ? basename(source) : 'the upload');
  const sizeBytes = await sourceSize(source);
  assertSize(kind, label, sizeBytes, options.maxBytes ?? ARTIFACT_SIZE_LIMITS[kind]);
  if (kind === 'licence') return inspectLicenceSource(source, label, sizeBytes, options);
  if (kind === 'other') return inspectOther(source, label, sizeBytes, options);

  const zip = await openZip(kind, source, label, options);
  try {
    assertNotAnotherKind(zip, kind, label);
    return await ZIP_INSPECTORS[kind](zip, label, sizeBytes);
  } catch (error) {
    throw error instanceof ZipError ? rejectionFor(error, kind) : error;
  } finally {
    zip.close();
  }
}

async function sourceSize(source: ArtifactSource): Promise<number> {
  if (typeof source === 'string') return (await stat(source)).size;
  return isRandomAccessSource(source) ? source.size : source.length;
}

function assertSize(kind: ArtifactKind, label: string, size: number, maxBytes: number): void {
  if (size === 0) throw new ArtifactRejected('empty', `${label} is empty (0 bytes); upload the file again`);
  if (size > maxBytes) {
    throw new ArtifactRejected(
      'file-too-large',
      `${label} is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} allowed for a ${ARTIFACT_KIND_NOUNS[kind]}; ` +
        'check that you chose the right file and kind, or ask your platform operator to raise the limit',
    );
  }
}

async function openZip(kind: ArtifactKind, source: ArtifactSource, label: string, options: InspectOptions): Promise<SafeZip> {
  try {
    return await openSafeZip(source, {
      label,
      limits: { ...ARTIFACT_ZIP_LIMITS[kind], ...options.limits },
      ...(options.cache ? { cache: options.cache } : {}),
    });
  } catch (error) {
    throw error instanceof ZipError ? rejectionFor(error, kind) : error;
  }
}

/** lib/zip's refusal, with what the uploader can do about it. */
function rejectionFor(error: ZipError, kind: ArtifactKind): ArtifactRejected {
  const noun = ARTIFACT_KIND_NOUNS[kind];
  switch (error.code) {
    case 'not-a-zip':
      return new ArtifactRejected(
        'not-a-zip',
        `${error.source} is not a zip archive, so it cannot be a ${noun}; upload the file as exported, not renamed or re-packed`,
      );
    case 'corrupt':
      return new ArtifactRejected(error.code, `${error.message}; upload an intact copy of the file`);
    case 'too-many-entries':
    case 'too-large':
    case 'compression-ratio':
      return new ArtifactRejected(
        error.code,
        `${error.message}; a genuine ${noun} does not look like this: check the file, or ask your platform operator`,
      );
    case 'encrypted':
      return new ArtifactRejected(error.code, error.message);
    default:
      return new ArtifactRejected(error.code, `${error.message}; re-create the archive from the original files`);
  }
}

async function readWhole(source: ArtifactSource, size: number): Promise<Buffer> {
  if (typeof source === 'string') return readFile(source);
  return isRandomAccessSource(source) ? source.read(0, size) : source;
}

async function inspectLicenceSource(
  source: ArtifactSource,
  label: string,
  sizeBytes: number,
  options: InspectOptions,
): Promise<ArtifactMetadata> {
  const bytes = await readWhole(source, sizeBytes);
  if (looksLikeZip(bytes)) {
    // Say which kind it is when the archive shows it; otherwise inspectLicence refuses it as a zip.
    const guess = await withOptionalZip(source, label, options, (zip) => guessKind(zip));
    if (guess) {
      throw new ArtifactRejected(
        'wrong-kind',
        `${label} looks like a ${ARTIFACT_KIND_NOUNS[guess.kind]} (${guess.evidence}), not a licence file; choose kind ${guess.kind}`,
      );
    }
  }
  return inspectLicence(bytes, label);
}

async function inspectOther(source: ArtifactSource, label: string, sizeBytes: number, options: InspectOptions): Promise<ArtifactMetadata> {
  if (!looksLikeZip(await readHead(source))) return { kind: 'other', sizeBytes, zipEntries: null };
  // A zip stored as "other" still passes the safety checks: whoever downloads it may extract it.
  try {
    const zip = await openZip('other', source, label, options);
    zip.close();
    return { kind: 'other', sizeBytes, zipEntries: zip.entries.length };
  } catch (error) {
    // Starts like a zip but is not one (or is damaged): an opaque file, which "other" allows.
    if (error instanceof ArtifactRejected && (error.code === 'not-a-zip' || error.code === 'corrupt')) {
      return { kind: 'other', sizeBytes, zipEntries: null };
    }
    throw error;
  }
}

async function readHead(source: ArtifactSource): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source.subarray(0, 4);
  if (isRandomAccessSource(source)) return source.read(0, Math.min(4, source.size));
  const handle = await open(source, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Runs `work` on the archive when it opens cleanly; undefined when it does not. */
async function withOptionalZip<T>(
  source: ArtifactSource,
  label: string,
  options: InspectOptions,
  work: (zip: SafeZip) => T,
): Promise<T | undefined> {
  let zip: SafeZip;
  try {
    zip = await openSafeZip(source, { label, ...(options.limits ? { limits: options.limits } : {}) });
  } catch (error) {
    if (error instanceof ZipError) return undefined;
    throw error;
  }
  try {
    return work(zip);
  } finally {
    zip.close();
  }
}
