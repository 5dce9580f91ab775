// Streaming upload: reads the source once, hashing and counting, and sends it as one PUT when it fits in a part
// or as a multipart upload otherwise. At most two parts are held in memory: one being sent, one being filled.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { ObjectTooLargeError, UploadAbortedError } from './errors';

export interface PutStreamOptions {
  /** Refuse (and store nothing) once the source yields more than this many bytes. */
  maxBytes?: number;
  /** Cancels the upload; nothing is left behind. */
  signal?: AbortSignal;
  /** Called with the number of bytes read so far. */
  onProgress?: (bytes: number) => void;
  contentType?: string;
}

export interface PutResult {
  key: string;
  /** Hex SHA-256 of the bytes stored. */
  sha256: string;
  size: number;
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

interface Target { client: Client; bucket: string; key: string; partSize: number }

export async function uploadStream(target: Target, source: Readable, opts: PutStreamOptions): Promise<PutResult> {
  const { client, bucket, key, partSize } = target;
  const headers = { 'Content-Type': opts.contentType ?? 'application/octet-stream' };
  const hash = createHash('sha256');
  const multipart = new Multipart(client, bucket, key, headers);
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const cancelled = () => opts.signal?.aborted;
  // Cancelling destroys the source, which also ends a read that is waiting for data. Removed when done, so a
  // long-lived signal shared by many uploads does not collect listeners.
  const onAbort = () => source.destroy(new UploadAbortedError({ cause: opts.signal?.reason }));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (cancelled()) throw new UploadAbortedError({ cause: opts.signal?.reason });
    for await (const raw of source) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw as Buffer;
      if (cancelled()) throw new UploadAbortedError({ cause: opts.signal?.reason });
      size += chunk.length;
      if (opts.maxBytes !== undefined && size > opts.maxBytes) throw new ObjectTooLargeError(opts.maxBytes);
      hash.update(chunk);
      pending.push(chunk);
      pendingBytes += chunk.length;
      opts.onProgress?.(size);
      if (pendingBytes >= partSize) {
        const part = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        // Waits for the previous part, so reading pauses (back-pressure) while two parts are held.
        await multipart.send(part);
        if (cancelled()) throw new UploadAbortedError({ cause: opts.signal?.reason });
      }
    }
    const last = Buffer.concat(pending, pendingBytes);
    pending = [];
    if (cancelled()) throw new UploadAbortedError({ cause: opts.signal?.reason });
    if (!multipart.started) {
      await client.putObject(bucket, key, last, last.length, headers);
    } else {
      if (last.length > 0) await multipart.send(last);
      await multipart.complete();
    }
    return { key, sha256: hash.digest('hex'), size };
  } catch (err) {
    source.destroy(); // the caller reads nothing more from it either way
    await multipart.abort();
    if (cancelled() && !(err instanceof UploadAbortedError)) throw new UploadAbortedError({ cause: err });
    throw err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

class Multipart {
  private uploadId: Promise<string> | undefined;
  private inFlight: Promise<unknown> = Promise.resolve();
  private readonly etags: { part: number; etag: string }[] = [];
  private failure: unknown;

  constructor(private client: Client, private bucket: string, private key: string, private headers: Record<string, string>) {}

  get started() { return this.uploadId !== undefined; }

  /** Starts sending `part` once the previous one is done; rejects with an earlier part's failure. */
  async send(part: Buffer): Promise<void> {
    this.uploadId ??= this.client.initiateNewMultipartUpload(this.bucket, this.key, this.headers);
    await this.inFlight;
    if (this.failure) throw this.failure;
    const uploadID = await this.uploadId;
    const partNumber = this.etags.length + 1;
    this.etags.push({ part: partNumber, etag: '' });
    this.inFlight = this.client.uploadPart({ bucketName: this.bucket, objectName: this.key, uploadID, partNumber, headers: {} }, part)
      .then((r) => { this.etags[partNumber - 1]!.etag = r.etag; }, (err: unknown) => { this.failure = err; });
  }

  async complete(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure;
    await this.client.completeMultipartUpload(this.bucket, this.key, (await this.uploadId)!, this.etags);
  }

  /** Best effort: the caller's error is the one worth reporting. */
  async abort(): Promise<void> {
    if (!this.uploadId) return;
    await this.inFlight;
    try {
      await this.client.abortMultipartUpload(this.bucket, this.key, await this.uploadId);
    } catch { /* already gone, or the server is down: S3 lifecycle rules expire stray parts */ }
  }
}
