// ObjectStore against the run's embedded S3 server, through the minio client over HTTP.
import { getEventListeners } from 'node:events';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { ObjectNotFoundError, ObjectStore, ObjectTooLargeError, StorageUnavailableError, UploadAbortedError } from '@/server/storage';
import { testObjectStore } from '@/tests/setup/storage';
import { freePort } from '@/tests/setup/global-db';
import { generated, MiB, sha256, sha256Of, testPrefix } from './helpers';

const store = testObjectStore();
async function toArray<T>(items: AsyncIterable<unknown>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item as T);
  return all;
}
const collect = async (items: AsyncIterable<{ key: string }>) => (await toArray<{ key: string }>(items)).map((o) => o.key);

/** Multipart uploads in progress on the embedded server's disk (aborted ones must leave none). */
async function openUploads(): Promise<string[]> {
  const { dir, bucket } = inject('s3');
  return readdir(path.join(dir, bucket, '._S3rver_uploads')).catch(() => []);
}

describe('upload and download', () => {
  it('stores a small file in one PUT, with its SHA-256, size and content type', async () => {
    const key = `${testPrefix('small')}hello.txt`;
    const progress: number[] = [];
    const put = await store.putStream(key, Readable.from([Buffer.from('hello '), Buffer.from('world')]), { contentType: 'text/plain', onProgress: (n) => progress.push(n) });
    expect(put).toEqual({ key, sha256: sha256('hello world'), size: 11 });
    expect(progress).toEqual([6, 11]);
    const info = await store.stat(key);
    expect(info).toMatchObject({ key, size: 11, contentType: 'text/plain' });
    expect(info!.lastModified.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await sha256Of(await store.getStream(key))).sha256).toBe(sha256('hello world'));
  });

  it('stores an empty file', async () => {
    const key = `${testPrefix('empty')}nothing`;
    expect(await store.putStream(key, Readable.from([]))).toEqual({ key, sha256: sha256(''), size: 0 });
    expect((await store.stat(key))?.size).toBe(0);
  });

  it('uploads 40 MiB in parts and reads it back whole and by range', async () => {
    const key = `${testPrefix('multi')}big.bin`;
    const src = generated(40 * MiB, 7);
    const before = await openUploads();
    expect(await store.putStream(key, src.stream())).toEqual({ key, sha256: src.sha256, size: 40 * MiB });
    expect(await openUploads()).toEqual(before);
    expect(await sha256Of(await store.getStream(key))).toEqual({ sha256: src.sha256, size: 40 * MiB });

    // A range across the first part boundary (16 MiB) comes back byte for byte.
    const whole = Buffer.concat(await toArray<Buffer>(src.stream()));
    const offset = 16 * MiB - 10;
    expect((await store.readRange(key, offset, 25)).equals(whole.subarray(offset, offset + 25))).toBe(true);
    const tail = await sha256Of(await store.getStream(key, { offset: 39 * MiB }));
    expect(tail).toEqual({ sha256: sha256(whole.subarray(39 * MiB)), size: MiB });
  });

  it('reads ranges at the end short, and past the end empty; refuses nonsense ranges', async () => {
    const key = `${testPrefix('range')}ten`;
    await store.putStream(key, Readable.from([Buffer.from('0123456789')]));
    expect((await store.readRange(key, 7, 100)).toString()).toBe('789');
    expect((await store.readRange(key, 10, 5)).length).toBe(0);
    expect((await store.readRange(key, 3, 0)).length).toBe(0);
    await expect(store.readRange(key, -1, 5)).rejects.toThrow(/offset must be a whole number/);
    await expect(store.readRange(key, 0, 1.5)).rejects.toThrow(/length must be a whole number/);
    await expect(store.readRange(key, 0, 65 * MiB)).rejects.toThrow(/use getStream/);
    await expect(store.readRange(`${key}-missing`, 0, 5)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('answers a missing object with null from stat and ObjectNotFoundError from getStream and copy', async () => {
    const key = `${testPrefix('missing')}none`;
    expect(await store.stat(key)).toBeNull();
    await expect(store.getStream(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.copy(key, `${key}-copy`)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('refuses keys that are empty, absolute or climb out', async () => {
    for (const bad of ['', '/abs', 'a/../b', 'a/./b', 'tab\there', 'x'.repeat(1025)]) {
      await expect(store.stat(bad), bad).rejects.toThrow(/not a valid object key/);
    }
  });
});

describe('copy, list and remove', () => {
  it('copies on the server, lists a prefix recursively, removes one and many', async () => {
    const prefix = testPrefix('list');
    await store.putStream(`${prefix}a`, Readable.from([Buffer.from('A')]));
    await store.putStream(`${prefix}sub/b`, Readable.from([Buffer.from('BB')]));
    await store.copy(`${prefix}a`, `${prefix}sub/c`);
    expect((await sha256Of(await store.getStream(`${prefix}sub/c`))).sha256).toBe(sha256('A'));
    const listed: { key: string; size: number }[] = [];
    for await (const o of store.list(prefix)) listed.push({ key: o.key, size: o.size });
    expect(listed).toEqual([{ key: `${prefix}a`, size: 1 }, { key: `${prefix}sub/b`, size: 2 }, { key: `${prefix}sub/c`, size: 1 }]);
    expect(await collect(store.list(`${prefix}sub/`))).toEqual([`${prefix}sub/b`, `${prefix}sub/c`]);

    await store.remove(`${prefix}a`);
    await store.remove(`${prefix}a`); // already gone: not an error
    expect(await store.stat(`${prefix}a`)).toBeNull();
    await store.removeMany([`${prefix}sub/b`, `${prefix}sub/c`, `${prefix}never-was`]);
    expect(await collect(store.list(prefix))).toEqual([]);
    await store.removeMany([]);
  });
});

describe('limits and cancelling leave nothing behind', () => {
  it('refuses a small upload beyond maxBytes before anything is sent', async () => {
    const key = `${testPrefix('max-small')}f`;
    const err = await store.putStream(key, Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectTooLargeError);
    expect((err as Error).message).toMatch(/larger than the limit of 1000 bytes; nothing was stored/);
    expect(await store.stat(key)).toBeNull();
  });

  it('aborts the multipart upload when a large upload passes maxBytes', async () => {
    const key = `${testPrefix('max-multi')}f`;
    const before = await openUploads();
    await expect(store.putStream(key, generated(40 * MiB).stream(), { maxBytes: 35 * MiB })).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(await store.stat(key)).toBeNull();
    expect(await openUploads()).toEqual(before);
  });

  it('accepts exactly maxBytes', async () => {
    const key = `${testPrefix('max-exact')}f`;
    expect((await store.putStream(key, Readable.from([Buffer.alloc(1000)]), { maxBytes: 1000 })).size).toBe(1000);
  });

  it('cancels on an abort signal mid-upload, also while the source is waiting for data', async () => {
    const key = `${testPrefix('abort')}f`;
    const before = await openUploads();
    const controller = new AbortController();
    // 20 MiB arrives (one part sent), then the source stalls, as a slow client would.
    const source = new Readable({ read() {} });
    for (let i = 0; i < 20; i += 1) source.push(Buffer.alloc(MiB, i));
    const upload = store.putStream(key, source, { signal: controller.signal, onProgress: (n) => { if (n === 20 * MiB) setTimeout(() => controller.abort(), 200); } });
    const err = await upload.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UploadAbortedError);
    expect((err as Error).message).toMatch(/cancelled; nothing was stored/);
    expect(source.destroyed).toBe(true);
    expect(await store.stat(key)).toBeNull();
    expect(await openUploads()).toEqual(before);
  });

  it('refuses to start with an already aborted signal', async () => {
    const key = `${testPrefix('aborted')}f`;
    const source = Readable.from([Buffer.from('x')]);
    await expect(store.putStream(key, source, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(UploadAbortedError);
    expect(source.destroyed).toBe(true);
    expect(await store.stat(key)).toBeNull();
  });

  it('leaves no listener on a signal shared by many uploads', async () => {
    const shared = new AbortController();
    const prefix = testPrefix('shared-signal');
    for (let i = 0; i < 3; i += 1) await store.putStream(`${prefix}${i}`, Readable.from([Buffer.from(`n${i}`)]), { signal: shared.signal });
    await store.putStream(`${prefix}big`, Readable.from([Buffer.alloc(2 * MiB)]), { signal: shared.signal, maxBytes: MiB }).catch(() => {});
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('passes on a failing source and stores nothing', async () => {
    const key = `${testPrefix('broken')}f`;
    const source = Readable.from((async function* () { yield Buffer.alloc(17 * MiB); throw new Error('client went away'); })());
    await expect(store.putStream(key, source)).rejects.toThrow('client went away');
    expect(await store.stat(key)).toBeNull();
  });
});

describe('download links', () => {
  it('serves a presigned link with the file name, and refuses it once expired', async () => {
    const key = `${testPrefix('presign')}obj`;
    await store.putStream(key, Readable.from([Buffer.from('report')]));
    const ok = await fetch(await store.presignedGet(key, 60, { filename: 'Plant "A" backup.gwbk' }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe(`attachment; filename="Plant _A_ backup.gwbk"; filename*=UTF-8''Plant%20%22A%22%20backup.gwbk`);
    expect(await ok.text()).toBe('report');
    // Signing dates are whole seconds, so a short link is checked only after it has surely expired.
    const short = await store.presignedGet(key, 1);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/Request has expired/);
  });

  it('refuses link lifetimes outside 1 s to 7 days', async () => {
    for (const s of [0, -5, 1.5, 7 * 24 * 3600 + 1]) await expect(store.presignedGet('k', s)).rejects.toThrow(/lasts 1 to 604800 seconds/);
  });

  it('the embedded server refuses an unsigned request and an unknown access key', async () => {
    const { endpoint, bucket } = inject('s3');
    const key = `${testPrefix('unsigned')}obj`;
    await store.putStream(key, Readable.from([Buffer.from('secret bytes')]));
    const unsigned = await fetch(`${endpoint}/${bucket}/${key}`);
    expect(unsigned.status).toBe(403);
    const stranger = new ObjectStore({ ...inject('s3'), accessKey: 'NOT-OURS' });
    const err = await stranger.stat(key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect((err as Error).message).toMatch(/refused the credentials \((InvalidAccessKeyId|AccessDenied)\); check S3_ACCESS_KEY and S3_SECRET_KEY$/);
  });
});

describe('an unreachable server', () => {
  it('gives StorageUnavailableError naming the endpoint and never the keys', async () => {
    const port = await freePort();
    const down = new ObjectStore({ endpoint: `http://127.0.0.1:${port}`, accessKey: 'AKIA-VISIBLE-NOT', secretKey: 'very-secret-value', bucket: 'switchyard', region: 'us-east-1' });
    for (const attempt of [() => down.ensureBucket(), () => down.stat('a'), () => down.putStream('a', Readable.from([Buffer.from('x')])), () => toArray(down.list(''))]) {
      const err = await attempt().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StorageUnavailableError);
      const message = (err as Error).message;
      expect(message).toBe(`object storage unavailable at http://127.0.0.1:${port}: cannot connect (ECONNREFUSED); start it or fix S3_ENDPOINT`);
      expect(message).not.toMatch(/AKIA|very-secret/);
    }
  });
});
