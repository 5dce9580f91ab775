// A small object store over the minio client: the only code that speaks S3.
import type { Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { isNotFound, mapStorageError, ObjectNotFoundError } from './errors';
import type { StorageSettings } from './settings';
import { DEFAULT_PART_SIZE, MIN_PART_SIZE, uploadStream, type PutResult, type PutStreamOptions } from './upload';

export type { PutResult, PutStreamOptions } from './upload';

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface StoredObject extends ObjectInfo {
  contentType: string | undefined;
  etag: string;
}

/** readRange() collects into memory: keep random reads small. */
export const MAX_RANGE_BYTES = 64 * 1024 * 1024;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export class ObjectStore {
  readonly bucket: string;
  readonly endpoint: string;
  private readonly client: Client;
  private readonly partSize: number;

  constructor(settings: StorageSettings, opts: { partSize?: number } = {}) {
    const url = new URL(settings.endpoint);
    const useSSL = url.protocol === 'https:';
    this.endpoint = `${url.protocol}//${url.host}`;
    this.bucket = settings.bucket;
    this.partSize = Math.max(MIN_PART_SIZE, opts.partSize ?? DEFAULT_PART_SIZE);
    this.client = new Client({
      endPoint: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) || (useSSL ? 443 : 80), useSSL,
      accessKey: settings.accessKey, secretKey: settings.secretKey, region: settings.region, pathStyle: true,
    });
  }

  /** Creates the bucket unless it exists. */
  async ensureBucket(): Promise<void> {
    await this.call(async () => {
      if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket);
    });
  }

  /** Streams `source` to `key`; see PutStreamOptions for limits and cancelling. Nothing is left on failure. */
  async putStream(key: string, source: Readable, opts: PutStreamOptions = {}): Promise<PutResult> {
    checkKey(key);
    return this.call(() => uploadStream({ client: this.client, bucket: this.bucket, key, partSize: this.partSize }, source, opts));
  }

  /** The object's size and dates, or null when there is none. */
  async stat(key: string): Promise<StoredObject | null> {
    checkKey(key);
    return this.call(async () => {
      try {
        const s = await this.client.statObject(this.bucket, key);
        const contentType = (s.metaData as Record<string, string | undefined>)['content-type'];
        return { key, size: s.size, lastModified: s.lastModified, etag: s.etag, contentType };
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    });
  }

  /** The object's bytes, or `length` bytes from `offset` (fewer at its end). Throws ObjectNotFoundError. */
  async getStream(key: string, range?: { offset: number; length?: number }): Promise<Readable> {
    checkKey(key);
    if (range) checkRange(range.offset, range.length);
    return this.call(async () => {
      try {
        return range ? await this.client.getPartialObject(this.bucket, key, range.offset, range.length)
          : await this.client.getObject(this.bucket, key);
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key);
        throw err;
      }
    });
  }

  /** Up to `length` bytes from `offset` (an empty buffer past the end), for random access into archives. */
  async readRange(key: string, offset: number, length: number): Promise<Buffer> {
    checkRange(offset, length);
    if (length > MAX_RANGE_BYTES) throw new RangeError(`readRange reads at most ${MAX_RANGE_BYTES} bytes at once; use getStream for more`);
    const info = await this.stat(key);
    if (!info) throw new ObjectNotFoundError(key);
    if (offset >= info.size || length === 0) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getStream(key, { offset, length: Math.min(length, info.size - offset) })) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Server-side copy (no bytes pass through this process). */
  async copy(srcKey: string, dstKey: string): Promise<void> {
    checkKey(srcKey);
    checkKey(dstKey);
    await this.call(async () => {
      try {
        await this.client.copyObject(new CopySourceOptions({ Bucket: this.bucket, Object: srcKey }), new CopyDestinationOptions({ Bucket: this.bucket, Object: dstKey }));
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(srcKey);
        throw err;
      }
    });
  }

  /** Removes the object; removing a missing one is not an error. */
  async remove(key: string): Promise<void> {
    checkKey(key);
    await this.call(() => this.client.removeObject(this.bucket, key));
  }

  async removeMany(keys: string[]): Promise<void> {
    keys.forEach(checkKey);
    for (let i = 0; i < keys.length; i += 1000) {
      const results = await this.call(() => this.client.removeObjects(this.bucket, keys.slice(i, i + 1000)));
      const failed = results.filter((r) => r && typeof r === 'object' && 'Code' in r && r.Code && r.Code !== 'NoSuchKey');
      if (failed.length) throw new Error(`object storage did not remove ${failed.length} of ${keys.length} objects (first: ${JSON.stringify(failed[0])})`);
    }
  }

  /** Every object under `prefix` (recursively), in key order. */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    try {
      for await (const item of stream) {
        if (item.name) yield { key: item.name, size: item.size, lastModified: item.lastModified };
      }
    } catch (err) {
      throw mapStorageError(err, this.endpoint);
    }
  }

  /** A GET link valid for `seconds`; with `filename`, browsers save it under that name. */
  async presignedGet(key: string, seconds: number, opts: { filename?: string } = {}): Promise<string> {
    checkKey(key);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw new RangeError(`a download link lasts 1 to ${MAX_PRESIGN_SECONDS} seconds (7 days), not ${seconds}`);
    }
    const headers: Record<string, string> = opts.filename ? { 'response-content-disposition': contentDisposition(opts.filename) } : {};
    return this.call(() => this.client.presignedGetObject(this.bucket, key, seconds, headers));
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mapStorageError(err, this.endpoint);
    }
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || Buffer.byteLength(key) > 1024 || key.startsWith('/')
    || key.split('/').some((s) => s === '..' || s === '.') || /[\u0000-\u001f\\]/.test(key)) {
    throw new RangeError(`not a valid object key: ${JSON.stringify(key)}`);
  }
}

function checkRange(offset: number, length: number | undefined): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a whole number >= 0, not ${offset}`);
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) throw new RangeError(`length must be a whole number >= 0, not ${length}`);
}

/** attachment; with an ASCII fallback and the exact name in RFC 5987 form. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
