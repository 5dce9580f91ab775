/** Why a zip (or one of its entries) was refused. Stable strings so callers can branch and tests can assert. */
export type ZipErrorCode =
  | 'not-a-zip'
  | 'too-many-entries'
  | 'too-large'
  | 'compression-ratio'
  | 'unsafe-path'
  | 'symlink'
  | 'special-file'
  | 'encrypted'
  | 'unsupported-compression'
  | 'duplicate-entry'
  | 'entry-not-found'
  | 'entry-too-large'
  | 'corrupt';

export class ZipError extends Error {
  constructor(
    readonly code: ZipErrorCode,
    /** What the zip is called in messages: a file name or a caller-chosen label, never file contents. */
    readonly source: string,
    detail: string,
    /** The offending entry name, when one entry is to blame. */
    readonly entry?: string,
  ) {
    super(`${source}: ${detail}`);
    this.name = 'ZipError';
  }
}

/** Entry names come from untrusted archives: quote them so control characters cannot forge log lines. */
export function quoteEntryName(name: string): string {
  const shortened = name.length > 200 ? `${name.slice(0, 200)}...` : name;
  return JSON.stringify(shortened);
}
