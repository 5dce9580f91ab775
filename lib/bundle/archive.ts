/** Opening project archives (.modl, .jar, .gwbk) and reading their small XML metadata, logging what goes wrong. */
import { openSafeZip, ZipError, type SafeZip, type ZipLimits } from '../zip';
import type { ProblemLog } from './problems';
import type { BundleProblemCode, FoundFile } from './types';
import { MetadataError } from '../artifacts/descriptors';

/** A found file plus where it really is on disk. */
export interface LocatedFile extends FoundFile {
  absolutePath: string;
}

/** The public part of a located file (the absolute path stays inside the scan). */
export function foundFile(file: LocatedFile): FoundFile {
  return { path: file.path, sizeBytes: file.sizeBytes, sha256: file.sha256 };
}

/** We only ever decompress one small metadata entry, so the size caps are for listing, not extraction. */
const SCAN_LIMITS: Partial<ZipLimits> = {
  maxEntries: 200_000,
  maxTotalUncompressedBytes: Number.MAX_SAFE_INTEGER,
  maxCompressionRatio: Number.POSITIVE_INFINITY,
};
const MAX_METADATA_BYTES = 1024 * 1024;

/** Opens the archive, runs `read`, closes it; a broken or hostile archive becomes an error in the log. */
export async function withArchive<T>(
  file: LocatedFile,
  log: ProblemLog,
  read: (zip: SafeZip) => Promise<T | undefined>,
): Promise<T | undefined> {
  let zip: SafeZip;
  try {
    zip = await openSafeZip(file.absolutePath, { label: file.path, limits: SCAN_LIMITS });
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    const code: BundleProblemCode = error.code === 'not-a-zip' || error.code === 'corrupt' ? 'not-a-zip' : 'unsafe-archive';
    return log.error(file.path, code, `${error.message}; replace the file with an intact copy from its source`);
  }
  try {
    return await read(zip);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    return log.error(file.path, 'not-a-zip', `${error.message}; replace the file with an intact copy`);
  } finally {
    zip.close();
  }
}

/** Which XML entry holds an archive's metadata, and how its absence or breakage is reported. */
export interface MetadataDocument {
  entry: string;
  missing: BundleProblemCode;
  invalid: BundleProblemCode;
}

/** Opens the archive and hands its metadata document's text to `parse`; a missing or bad document is logged. */
export async function withMetadataDocument<T>(
  file: LocatedFile,
  log: ProblemLog,
  document: MetadataDocument,
  parse: (text: string, zip: SafeZip) => T | undefined,
): Promise<T | undefined> {
  return withArchive(file, log, async (zip) => {
    if (!zip.has(document.entry)) {
      return log.error(file.path, document.missing, `has no ${document.entry}; it is not a valid file of this kind`);
    }
    const bytes = await zip.read(document.entry, { maxBytes: MAX_METADATA_BYTES });
    try {
      return parse(bytes.toString('utf8'), zip);
    } catch (error) {
      if (!(error instanceof MetadataError)) throw error;
      return log.error(file.path, document.invalid, error.message);
    }
  });
}
