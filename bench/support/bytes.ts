/** Bench payloads and the clients that send them: the app's upload route over HTTP, and S3 directly. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import type { Client } from 'minio';
import { newSecret } from '@/lib/crypto/secret-token';
import { TOKEN_PREFIX } from '@/server/services/tokens';
import type { DbHandle } from '@/db/client';
import { processTree } from '../../tests/helpers/processes';

export const MiB = 1024 ** 2;

/**
 * `total` bytes as a stream of one random block repeated: incompressible for the server, no CPU spent generating
 * them during the timed part, and the same bytes for every consumer given the same block.
 */
export function repeatedBlock(block: Buffer, total: number): Readable {
  let sent = 0;
  return new Readable({
    highWaterMark: block.length,
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(block.length, total - sent);
      sent += n;
      this.push(n === block.length ? block : block.subarray(0, n));
    },
  });
}

export const randomBlock = (bytes = 16 * MiB) => randomBytes(bytes);

/** A tenant, its owner and an admin API token, written as the database owner (the tables force RLS, so per tenant). */
export async function seedTenantWithToken(owner: DbHandle): Promise<{ tenantId: string; token: string }> {
  const db = owner.sql;
  const [tenant] = await db<{ id: string }[]>`insert into tenants (slug, name) values ('bench-artifacts', 'Bench artifacts') returning id`;
  const [user] = await db<{ id: string }[]>`insert into users (email, name) values ('bench-artifacts@bench.test', 'Bench uploader') returning id`;
  const { secret, hash, display } = newSecret(TOKEN_PREFIX);
  await db.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenant!.id}, true)`;
    await tx`insert into memberships (tenant_id, user_id, role) values (${tenant!.id}, ${user!.id}, 'owner')`;
    await tx`insert into api_tokens (tenant_id, name, prefix, token_hash, role, created_by) values (${tenant!.id}, 'bench', ${display}, ${hash}, 'admin', ${user!.id})`;
  });
  return { tenantId: tenant!.id, token: secret };
}

/** PUT the stream to the app's upload route with a declared length (as `curl -T` does); resolves with the JSON answer. */
export function putUpload(url: URL, token: string, body: Readable, size: number): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-length': String(size), 'content-type': 'application/octet-stream' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> });
        } catch {
          reject(new Error(`the upload route answered ${res.statusCode} with non-JSON: ${text.slice(0, 200)}`));
        }
      });
      res.once('error', reject);
    });
    req.once('error', reject);
    body.pipe(req);
  });
}

/**
 * The same bytes straight to S3 with the minio client's multipart calls, part by part as the store sends them
 * (s3rver lacks the upload listing the client's own putObject multipart path needs).
 */
export async function putDirect(client: Client, bucket: string, key: string, body: Readable, partSize: number): Promise<void> {
  const uploadID = await client.initiateNewMultipartUpload(bucket, key, { 'Content-Type': 'application/octet-stream' });
  const etags: { part: number; etag: string }[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const send = async () => {
    const part = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    const partNumber = etags.length + 1;
    const { etag } = await client.uploadPart({ bucketName: bucket, objectName: key, uploadID, partNumber, headers: {} }, part);
    etags.push({ part: partNumber, etag });
  };
  for await (const chunk of body) {
    pending.push(chunk as Buffer);
    pendingBytes += (chunk as Buffer).length;
    if (pendingBytes >= partSize) await send();
  }
  if (pendingBytes > 0) await send();
  await client.completeMultipartUpload(bucket, key, uploadID, etags);
}

/** The current resident set (VmRSS) of the server and its HTTP workers together, in MiB. */
export async function rssMiB(pid: number): Promise<number> {
  let kib = 0;
  for (const p of await processTree(pid)) kib += Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${p}/status`, 'utf8').catch(() => ''))?.[1] ?? 0);
  return kib > 0 ? kib / 1024 : NaN;
}

/** Resets the high-water marks (VmHWM) of the server and its workers to their current RSS, so a later peak belongs to what follows. */
export async function resetPeakRss(pid: number): Promise<boolean> {
  const done = await Promise.all((await processTree(pid)).map((p) => writeFile(`/proc/${p}/clear_refs`, '5').then(() => true, () => false)));
  return done.every(Boolean);
}
