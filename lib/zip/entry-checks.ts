import type { Entry } from 'yauzl';
import { getFileNameLowLevel } from 'yauzl';
import { quoteEntryName, ZipError } from './errors';

const UNIX_TYPE_MASK = 0o170000;
const UNIX_SYMLINK = 0o120000;
const UNIX_DIRECTORY = 0o040000;
const UNIX_REGULAR = 0o100000;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;

/**
 * Decodes an entry name (UTF-8 flag, Info-ZIP unicode extra field, else CP437) and turns Windows separators into
 * `/`, so `..\..\x` is judged as the traversal it would become on Windows.
 */
export function decodeEntryName(entry: Entry): string {
  const raw = entry.fileNameRaw;
  return getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true).replace(/\\/g, '/');
}

/** Why a name is unsafe to extract anywhere, or undefined when it is a plain relative path. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'the entry name is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the entry name contains control characters';
  if (name.startsWith('/')) return 'the entry name is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'the entry name starts with a drive letter';
  if (name.split('/').includes('..')) return 'the entry name climbs out of the archive with ".."';
  return undefined;
}

/** Throws a ZipError when the entry is something we never read: unsafe name, link, device, encrypted. */
export function assertEntryAcceptable(entry: Entry, name: string, source: string): void {
  const quoted = quoteEntryName(name);
  const nameProblem = unsafeNameReason(name);
  if (nameProblem) throw new ZipError('unsafe-path', source, `entry ${quoted} refused: ${nameProblem}`, name);

  // The upper 16 bits of the external attributes hold a Unix mode when the archiver wrote one.
  const unixType = (entry.externalFileAttributes >>> 16) & UNIX_TYPE_MASK;
  if (unixType === UNIX_SYMLINK) {
    throw new ZipError('symlink', source, `entry ${quoted} is a symbolic link; archives with links are refused`, name);
  }
  if (unixType !== 0 && unixType !== UNIX_REGULAR && unixType !== UNIX_DIRECTORY) {
    throw new ZipError('special-file', source, `entry ${quoted} is a device, socket or pipe; refused`, name);
  }
  if (entry.generalPurposeBitFlag & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
    throw new ZipError('encrypted', source, `entry ${quoted} is encrypted; upload an unencrypted archive`, name);
  }
  if (entry.compressionMethod !== METHOD_STORED && entry.compressionMethod !== METHOD_DEFLATE) {
    throw new ZipError(
      'unsupported-compression',
      source,
      `entry ${quoted} uses compression method ${entry.compressionMethod}; only stored and deflate are supported`,
      name,
    );
  }
}
