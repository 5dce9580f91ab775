/** Opening project archives (.modl, .jar, .gwbk) and reading their small XML metadata, logging what goes wrong. */
import { openSafeZip, ZipError, type SafeZip, type ZipLimits } from '../zip';
import type { ProblemLog } from './problems';
import type { BundleProblemCode, FoundFile } from './types';
import { parseXml, XmlError, type XmlElement } from './xml';

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

/** Opens the archive, runs `use`, closes it; a broken or hostile archive becomes an error in the log. */
export async function withArchive<T>(
  file: LocatedFile,
  log: ProblemLog,
  use: (zip: SafeZip) => Promise<T | undefined>,
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
    return await use(zip);
  } catch (error) {
    if (!(error instanceof ZipError)) throw error;
    return log.error(file.path, 'not-a-zip', `${error.message}; replace the file with an intact copy`);
  } finally {
    zip.close();
  }
}

/** Reads and parses one XML entry, logging `missing` or `invalid` against the file when that fails. */
export async function readXmlEntry(
  zip: SafeZip,
  entryName: string,
  file: LocatedFile,
  log: ProblemLog,
  codes: { missing: BundleProblemCode; invalid: BundleProblemCode },
): Promise<XmlElement | undefined> {
  if (!zip.has(entryName)) {
    return log.error(file.path, codes.missing, `has no ${entryName}; it is not a valid file of this kind`);
  }
  const bytes = await zip.read(entryName, { maxBytes: MAX_METADATA_BYTES });
  try {
    return parseXml(bytes.toString('utf8'));
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    return log.error(file.path, codes.invalid, `${entryName}: ${error.message}`);
  }
}
