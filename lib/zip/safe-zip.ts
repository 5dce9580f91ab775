import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import yauzl from 'yauzl';
import { assertEntryAcceptable, decodeEntryName } from './entry-checks';
import { quoteEntryName, ZipError } from './errors';
import { isRandomAccessSource, openFromPath, openFromSource, type BlockCacheOptions, type RandomAccessSource } from './random-access';

/** Caps applied while listing, before any entry is decompressed. */
export interface ZipLimits {
  /** Most entries an archive may hold. */
  maxEntries: number;
  /** Most bytes all entries may declare once decompressed. */
  maxTotalUncompressedBytes: number;
  /** Highest uncompressed/compressed ratio for one entry (deflate tops out near 1030). */
  maxCompressionRatio: number;
  /** Entries smaller than this skip the ratio check: tiny files of repeated bytes are common and harmless. */
  ratioCheckMinBytes: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = Object.freeze({
  maxEntries: 50_000,
  maxTotalUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 250,
  ratioCheckMinBytes: 1024 ** 2,
});

/** Default cap for readEntry: metadata files (module.xml, backupinfo.xml) are small. */
export const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 ** 2;

export interface ZipEntryInfo {
  name: string;
  isDirectory: boolean;
  compressedSize: number;
  uncompressedSize: number;
  crc32: number;
}

export interface OpenZipOptions {
  limits?: Partial<ZipLimits>;
  /** Name used in error messages; defaults to the file's base name, or "zip data" for a buffer or source. */
  label?: string;
  /** Block cache for a path or RandomAccessSource (buffers are read directly). */
  cache?: BlockCacheOptions;
}

/** An archive whose every entry passed the checks; read entries by name, then close. */
export interface SafeZip {
  readonly label: string;
  readonly entries: readonly ZipEntryInfo[];
  has(name: string): boolean;
  read(name: string, options?: { maxBytes?: number }): Promise<Buffer>;
  /** The entry's bytes as a stream, decompressed as they are consumed; sizes are checked against the headers. */
  stream(name: string): Promise<Readable>;
  /** Lower-case hex SHA-256 of the entry's uncompressed bytes, streamed (never buffered whole). */
  hash(name: string): Promise<string>;
  close(): void;
}

/** A file path, the bytes themselves, or ranged reads (e.g. an S3 object). */
export type ZipSource = string | Buffer | RandomAccessSource;

export async function openSafeZip(source: ZipSource, options: OpenZipOptions = {}): Promise<SafeZip> {
  const label = options.label ?? (typeof source === 'string' ? basename(source) : 'zip data');
  const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const zip = await openYauzl(source, label, options.cache);
  try {
    const byName = await collectEntries(zip, label, limits);
    return new CheckedZip(zip, label, byName);
  } catch (error) {
    zip.close();
    throw error;
  }
}

/** Opens, checks and lists an archive, then closes it. */
export async function listZipEntries(source: ZipSource, options: OpenZipOptions = {}): Promise<ZipEntryInfo[]> {
  return withSafeZip(source, options, (zip) => [...zip.entries]);
}

/** Opens and checks an archive, reads one entry (capped at maxBytes), then closes it. */
export async function readZipEntry(
  source: ZipSource,
  name: string,
  options: OpenZipOptions & { maxBytes?: number } = {},
): Promise<Buffer> {
  return withSafeZip(source, options, (zip) => zip.read(name, { maxBytes: options.maxBytes }));
}

/** Runs `work` on a checked archive and always closes it. */
export async function withSafeZip<T>(
  source: ZipSource,
  options: OpenZipOptions,
  work: (zip: SafeZip) => T | Promise<T>,
): Promise<T> {
  const zip = await openSafeZip(source, options);
  try {
    return await work(zip);
  } finally {
    zip.close();
  }
}

async function openYauzl(source: ZipSource, label: string, cache: BlockCacheOptions | undefined): Promise<ZipFile> {
  // decodeStrings=false: we decode and judge names ourselves so a bad name becomes a ZipError naming the entry.
  const options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
  try {
    if (typeof source === 'string') return await openFromPath(source, options, cache);
    if (isRandomAccessSource(source)) return await openFromSource(source, options, cache);
    return await yauzl.fromBufferPromise(source, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ZipError('not-a-zip', label, `not a readable zip archive (${reason})`);
  }
}

async function collectEntries(zip: ZipFile, label: string, limits: ZipLimits): Promise<Map<string, Entry>> {
  // The central directory states the count up front: refuse before walking it.
  if (zip.entryCount > limits.maxEntries) {
    throw new ZipError('too-many-entries', label, `${zip.entryCount} entries exceed the limit of ${limits.maxEntries}`);
  }
  const byName = new Map<string, Entry>();
  let totalBytes = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const name = decodeEntryName(entry);
      assertEntryAcceptable(entry, name, label);
      if (byName.has(name)) {
        throw new ZipError('duplicate-entry', label, `entry ${quoteEntryName(name)} appears twice`, name);
      }
      assertRatio(entry, name, label, limits);
      totalBytes += entry.uncompressedSize;
      if (totalBytes > limits.maxTotalUncompressedBytes) {
        throw new ZipError(
          'too-large',
          label,
          `entries decompress to more than ${limits.maxTotalUncompressedBytes} bytes; refused`,
        );
      }
      byName.set(name, entry);
    }
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError('corrupt', label, `the archive is damaged (${(error as Error).message})`);
  }
  return byName;
}

function assertRatio(entry: Entry, name: string, label: string, limits: ZipLimits): void {
  if (entry.uncompressedSize < limits.ratioCheckMinBytes) return;
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (ratio > limits.maxCompressionRatio) {
    throw new ZipError(
      'compression-ratio',
      label,
      `entry ${quoteEntryName(name)} expands ${Math.round(ratio)}x (limit ${limits.maxCompressionRatio}x); looks like a zip bomb`,
      name,
    );
  }
}

class CheckedZip implements SafeZip {
  readonly entries: readonly ZipEntryInfo[];

  constructor(
    private readonly zip: ZipFile,
    readonly label: string,
    private readonly byName: Map<string, Entry>,
  ) {
    this.entries = [...byName].map(([name, entry]) => ({
      name,
      isDirectory: name.endsWith('/'),
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      crc32: entry.crc32,
    }));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  async read(name: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    const entry = this.fileEntry(name);
    const tooLarge = () =>
      new ZipError('entry-too-large', this.label, `entry ${quoteEntryName(name)} is larger than ${maxBytes} bytes`, name);
    if (entry.uncompressedSize > maxBytes) throw tooLarge();
    return this.consume(name, entry, async (stream) => {
      const chunks: Buffer[] = [];
      let size = 0;
      // Declared sizes can lie; count what actually comes out too (yauzl also checks it against the header).
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          stream.destroy();
          throw tooLarge();
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks);
    });
  }

  async stream(name: string): Promise<Readable> {
    const entry = this.fileEntry(name);
    try {
      return await this.zip.openReadStreamPromise(entry);
    } catch (error) {
      throw this.unreadable(name, error);
    }
  }

  async hash(name: string): Promise<string> {
    return this.consume(name, this.fileEntry(name), async (stream) => {
      const hash = createHash('sha256');
      for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
      return hash.digest('hex');
    });
  }

  private fileEntry(name: string): Entry {
    const entry = this.byName.get(name);
    if (!entry || name.endsWith('/')) {
      throw new ZipError('entry-not-found', this.label, `no file entry named ${quoteEntryName(name)} in the archive`, name);
    }
    return entry;
  }

  /** Opens the entry's stream and runs `work` on it; damage (bad CRC, short data) becomes a 'corrupt' ZipError. */
  private async consume<T>(name: string, entry: Entry, work: (stream: Readable) => Promise<T>): Promise<T> {
    try {
      return await work(await this.zip.openReadStreamPromise(entry));
    } catch (error) {
      if (error instanceof ZipError) throw error;
      throw this.unreadable(name, error);
    }
  }

  private unreadable(name: string, error: unknown): ZipError {
    const reason = error instanceof Error ? error.message : String(error);
    return new ZipError('corrupt', this.label, `entry ${quoteEntryName(name)} cannot be read (${reason})`, name);
  }

  close(): void {
    this.zip.close();
  }
}
