/**
 * Reading a zip from anything that can serve byte ranges (an S3 object through ranged GETs, a file handle, a
 * buffer). yauzl asks for many tiny reads (46 bytes per central directory record, 30 per local header), so reads
 * go through a small block cache: one ranged request serves hundreds of records.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** Bytes addressable by offset. `read` may return fewer bytes only at the end of the source. */
export interface RandomAccessSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export interface BlockCacheOptions {
  /** Bytes fetched per request. */
  blockSize?: number;
  /** Blocks kept (least recently used goes first); memory use is blockSize * maxBlocks. */
  maxBlocks?: number;
}

export const DEFAULT_BLOCK_SIZE = 256 * 1024;
const DEFAULT_MAX_BLOCKS = 16;

export function isRandomAccessSource(value: unknown): value is RandomAccessSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    typeof (value as RandomAccessSource).size === 'number' &&
    typeof (value as RandomAccessSource).read === 'function'
  );
}

/** A source over an open file handle; the caller keeps ownership of the handle. */
export function fileHandleSource(handle: FileHandle, size: number): RandomAccessSource {
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === buffer.length ? buffer : buffer.subarray(0, filled);
    },
  };
}

/** A source over a buffer (tests, and callers that already hold the bytes). */
export function bufferSource(buffer: Buffer): RandomAccessSource {
  return { size: buffer.length, read: async (offset, length) => buffer.subarray(offset, offset + length) };
}

/** Wraps a source so that reads are served from cached, block-aligned ranged reads. */
export class BlockCache {
  private readonly blocks = new Map<number, Promise<Buffer>>();
  private readonly blockSize: number;
  private readonly maxBlocks: number;

  constructor(
    private readonly source: RandomAccessSource,
    options: BlockCacheOptions = {},
  ) {
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.maxBlocks = Math.max(2, options.maxBlocks ?? DEFAULT_MAX_BLOCKS);
  }

  get size(): number {
    return this.source.size;
  }

  /** Exactly `length` bytes at `offset`, or fewer when the source ends first. */
  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.source.size);
    if (end <= offset) return Buffer.alloc(0);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    if (first === last) {
      const block = await this.block(first);
      return block.subarray(offset - first * this.blockSize, end - first * this.blockSize);
    }
    const parts: Buffer[] = [];
    for (let index = first; index <= last; index++) {
      const block = await this.block(index);
      const start = index === first ? offset - index * this.blockSize : 0;
      const stop = index === last ? end - index * this.blockSize : block.length;
      parts.push(block.subarray(start, stop));
    }
    return Buffer.concat(parts);
  }

  private block(index: number): Promise<Buffer> {
    const cached = this.blocks.get(index);
    if (cached) {
      // Re-insert to mark it most recently used.
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }
    const start = index * this.blockSize;
    const pending = this.source.read(start, Math.min(this.blockSize, this.source.size - start)).then((bytes) => {
      // A short read in the middle of the source would shift every later byte: treat it as damage.
      if (bytes.length < Math.min(this.blockSize, this.source.size - start)) {
        throw new Error(`the source returned ${bytes.length} bytes at offset ${start}, fewer than it claims to hold`);
      }
      return bytes;
    });
    pending.catch(() => this.blocks.delete(index));
    this.blocks.set(index, pending);
    while (this.blocks.size > this.maxBlocks) {
      const oldest = this.blocks.keys().next().value as number;
      this.blocks.delete(oldest);
    }
    return pending;
  }
}

/** The yauzl reader over a block cache. */
export class SourceReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly cache: BlockCache,
    private readonly onClose?: () => Promise<void>,
  ) {
    super();
  }

  // yauzl calls this once the zip is closed and its last stream has ended.
  override close(callback: (err: Error | null) => void): void {
    if (!this.onClose) return void setImmediate(() => callback(null));
    this.onClose().then(() => callback(null), (error: Error) => callback(error));
  }

  // yauzl's default read pipes a stream per call; header reads are tiny and many, so serve them directly.
  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    this.cache.read(position, length).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        // yauzl's readAndAssertNoEof takes a second argument (bytes read) that the typings leave out.
        (callback as (err: Error | null, bytesRead: number) => void)(null, bytes.length);
      },
      (error: Error) => callback(error),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const cache = this.cache;
    const chunk = DEFAULT_BLOCK_SIZE;
    let position = start;
    return new Readable({
      async read() {
        if (position >= end) {
          this.push(null);
          return;
        }
        try {
          const bytes = await cache.read(position, Math.min(chunk, end - position));
          if (bytes.length === 0) throw new Error(`unexpected end of the source at offset ${position}`);
          position += bytes.length;
          this.push(bytes);
        } catch (error) {
          this.destroy(error as Error);
        }
      },
    });
  }
}

/** Opens a yauzl ZipFile over a random-access source; `onClose` runs when the zip and its streams are done. */
export function openFromSource(
  source: RandomAccessSource,
  options: yauzl.Options,
  cacheOptions?: BlockCacheOptions,
  onClose?: () => Promise<void>,
) {
  const cache = new BlockCache(source, cacheOptions);
  return yauzl.fromRandomAccessReaderPromise(new SourceReader(cache, onClose), source.size, options);
}

/**
 * Opens a file through the block cache too: yauzl's own fd reader issues two reads per directory record and a
 * stream per entry header, which is several times slower on archives with thousands of entries.
 */
export async function openFromPath(path: string, options: yauzl.Options, cacheOptions?: BlockCacheOptions) {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await openFromSource(fileHandleSource(handle, size), options, cacheOptions, () => handle.close());
  } catch (error) {
    await handle.close();
    throw error;
  }
}
