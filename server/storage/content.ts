// Content addressing per tenant: an upload is staged under a random key while it is hashed, then promoted to
// the key named by its SHA-256. Keys start with the tenant, so de-duplication never crosses tenants.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ObjectStore, PutStreamOptions } from './object-store';

export interface StagedUpload {
  stagingKey: string;
  sha256: string;
  size: number;
}

const tenantPattern = /^[A-Za-z0-9_-]{1,64}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;

function tenantPrefix(tenantId: string): string {
  if (!tenantPattern.test(tenantId)) throw new RangeError(`not a tenant id: ${JSON.stringify(tenantId)}`);
  return `tenants/${tenantId}/`;
}

const stagingPrefix = (tenantId: string) => `${tenantPrefix(tenantId)}staging/`;

/** tenants/<tenantId>/sha256/<first two hex>/<sha256> */
export function contentKey(tenantId: string, sha256: string): string {
  if (!sha256Pattern.test(sha256)) throw new RangeError(`not a lowercase hex SHA-256: ${JSON.stringify(sha256)}`);
  return `${tenantPrefix(tenantId)}sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** Streams `source` to tenants/<tenantId>/staging/<uuid>, hashing it on the way. */
export async function stageUpload(store: ObjectStore, tenantId: string, source: Readable, opts: PutStreamOptions = {}): Promise<StagedUpload> {
  const stagingKey = `${stagingPrefix(tenantId)}${randomUUID()}`;
  const { sha256, size } = await store.putStream(stagingKey, source, opts);
  return { stagingKey, sha256, size };
}

function checkStaged(tenantId: string, staged: StagedUpload): void {
  if (!staged.stagingKey.startsWith(stagingPrefix(tenantId)) || staged.stagingKey.slice(stagingPrefix(tenantId).length).includes('/')) {
    throw new RangeError(`${staged.stagingKey} is not a staging key of tenant ${tenantId}`);
  }
}

/** Moves a staged upload to its content key; `deduplicated` when the tenant already held the same bytes. */
export async function promoteStaged(store: ObjectStore, tenantId: string, staged: StagedUpload): Promise<{ key: string; deduplicated: boolean }> {
  checkStaged(tenantId, staged);
  const key = contentKey(tenantId, staged.sha256);
  const existing = await store.stat(key);
  // A size mismatch means a damaged object under this hash: replace it with the bytes we just hashed.
  const deduplicated = existing !== null && existing.size === staged.size;
  if (!deduplicated) await store.copy(staged.stagingKey, key);
  await store.remove(staged.stagingKey);
  return { key, deduplicated };
}

/** Drops a staged upload that will not be kept (refused by validation, say). */
export async function discardStaged(store: ObjectStore, tenantId: string, staged: Pick<StagedUpload, 'stagingKey'>): Promise<void> {
  checkStaged(tenantId, { ...staged, sha256: '', size: 0 });
  await store.remove(staged.stagingKey);
}

/**
 * Removes staging objects last modified before `olderThan` (a crash's leftovers); returns how many.
 * With `tenantIds` only their staging folders are listed; without, every key under tenants/ is walked
 * (listing by delimiter would be cheaper, but the embedded server does not find common prefixes).
 */
export async function sweepStaging(store: ObjectStore, olderThan: Date, opts: { tenantIds?: string[] } = {}): Promise<number> {
  const prefixes = opts.tenantIds ? opts.tenantIds.map(stagingPrefix) : ['tenants/'];
  const stale: string[] = [];
  for (const prefix of prefixes) {
    for await (const obj of store.list(prefix)) {
      if (obj.lastModified < olderThan && /^tenants\/[^/]+\/staging\/[^/]+$/.test(obj.key)) stale.push(obj.key);
    }
  }
  await store.removeMany(stale);
  return stale.length;
}
