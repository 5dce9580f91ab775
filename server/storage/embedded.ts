// The embedded S3-protocol server (s3rver) that `npm start` and the tests use when no S3_ENDPOINT is given.
// s3rver checks the access key but not V4 signatures, so it listens on loopback only; production uses MinIO/S3.
import { copyFile, link, mkdir, rm, unlink } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import S3rver from 's3rver';

export interface EmbeddedS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  close(): Promise<void>;
}

// s3rver's one built-in account.
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/** Starts s3rver on 127.0.0.1:`port` (0 picks a free one) over `dir`, which keeps its objects across restarts. */
export async function startEmbeddedS3(opts: { dir: string; port: number }): Promise<EmbeddedS3> {
  const dir = path.resolve(opts.dir);
  await mkdir(dir, { recursive: true });
  const server = new S3rver({ directory: dir, silent: process.env.LOG_LEVEL !== 'debug', vhostBuckets: false });
  // Runs before s3rver's own middleware (Koa composes the list in callback() below).
  server.middleware.unshift(requireSignature, abortMultipartUpload(server));
  linkCopies(server);
  // Our own HTTP server rather than s3rver.run(), which leaves a failed listen (port taken) as an uncaught error.
  const http = createServer(server.callback());
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE'
      ? new Error(`the embedded S3 server cannot listen on 127.0.0.1:${opts.port}: the port is taken; set SWITCHYARD_S3_PORT to a free port, or S3_ENDPOINT to use another S3 server`, { cause: err })
      : err));
    http.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    close: () => new Promise<void>((resolve, reject) => {
      http.close((err) => (err ? reject(err) : resolve()));
      http.closeIdleConnections();
    }),
  };
}

type Middleware = S3rver['middleware'][number];
type Ctx = Parameters<Middleware>[0];

/** s3rver serves unsigned (anonymous) requests; we do not: every request must name the access key. */
const requireSignature: Middleware = async (ctx, next) => {
  const headers = (ctx as Ctx & { headers: Record<string, string | undefined> }).headers;
  if (headers.authorization || ctx.query['X-Amz-Signature'] || ctx.query.Signature) return next();
  ctx.status = 403;
  (ctx as Ctx & { type: string }).type = 'application/xml';
  ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Requests must be signed</Message></Error>';
};

/**
 * s3rver 3.7 lacks AbortMultipartUpload (it answers MethodNotAllowed after authenticating the request), which
 * would leave an abandoned upload's parts on disk for good. We remove them and answer as S3 does.
 */
function abortMultipartUpload(server: S3rver): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const uploadId = ctx.query.uploadId;
      const bucket = decodeURIComponent(ctx.path.split('/')[1] ?? '');
      if (ctx.method !== 'DELETE' || (err as { code?: string }).code !== 'MethodNotAllowed'
        || typeof uploadId !== 'string' || !/^[0-9a-f]{32}$/.test(uploadId) || !/^[a-z0-9.-]{3,63}$/.test(bucket)) throw err;
      await rm(path.join(server.store.getResourcePath(bucket, undefined, 'uploads'), uploadId), { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = null;
    }
  };
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<unknown>;
  putMetadata(bucket: string, key: string, metadata: unknown): Promise<unknown>;
  copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, metadata?: unknown): Promise<unknown>;
  putObject(object: { bucket: string; key: string }): Promise<unknown>;
}

const ignoreMissing = (err: NodeJS.ErrnoException) => { if (err.code !== 'ENOENT') throw err; };

/** A hard link where the file system allows it, else a copy. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await unlink(to).catch(ignoreMissing);
  await link(from, to).catch((err: NodeJS.ErrnoException) => (err.code === 'EXDEV' || err.code === 'EPERM' ? copyFile(from, to) : Promise.reject(err)));
}

/**
 * A server-side copy (staging -> content key, on every upload) as a hard link instead of s3rver's byte-for-byte copy:
 * about 3 s per GiB saved. A write always replaces the object's file rather than writing into it, so two keys sharing
 * an inode never see each other's writes.
 */
function linkCopies(server: S3rver): void {
  const store = server.store as unknown as FilesystemStore;
  const file = (bucket: string, key: string, resource: string) => store.getResourcePath(bucket, key, resource);
  const copy = store.copyObject.bind(store);
  store.copyObject = async (srcBucket, srcKey, destBucket, destKey, metadata) => {
    if (file(srcBucket, srcKey, 'object') === file(destBucket, destKey, 'object')) return copy(srcBucket, srcKey, destBucket, destKey, metadata);
    await mkdir(path.dirname(file(destBucket, destKey, 'object')), { recursive: true });
    await linkOrCopy(file(srcBucket, srcKey, 'object'), file(destBucket, destKey, 'object'));
    if (metadata) {
      await copyFile(file(srcBucket, srcKey, 'object.md5'), file(destBucket, destKey, 'object.md5'));
      await store.putMetadata(destBucket, destKey, metadata);
    } else {
      for (const resource of ['metadata.json', 'object.md5']) await copyFile(file(srcBucket, srcKey, resource), file(destBucket, destKey, resource));
    }
    return store.getMetadata(destBucket, destKey);
  };
  const put = store.putObject.bind(store);
  store.putObject = async (object) => {
    await unlink(file(object.bucket, object.key, 'object')).catch(ignoreMissing);
    return put(object);
  };
}
