// Content addressing per tenant over the run's embedded S3 server.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { contentKey, discardStaged, ObjectTooLargeError, promoteStaged, stageUpload, sweepStaging } from '@/server/storage';
import { testObjectStore } from '@/tests/setup/storage';
import { sha256, sha256Of } from './helpers';

const store = testObjectStore();
const tenant = () => randomUUID();
const bytes = (text: string) => Readable.from([Buffer.from(text)]);

describe('contentKey', () => {
  it('names the tenant, then the hash fanned out by its first two hex digits', () => {
    const h = sha256('x');
    expect(contentKey('t-1', h)).toBe(`tenants/t-1/sha256/${h.slice(0, 2)}/${h}`);
  });

  it('refuses what is not a lowercase SHA-256 or a tenant id', () => {
    expect(() => contentKey('t', 'ABC')).toThrow(/not a lowercase hex SHA-256/);
    expect(() => contentKey('t', sha256('x').toUpperCase())).toThrow(/not a lowercase hex SHA-256/);
    expect(() => contentKey('../other', sha256('x'))).toThrow(/not a tenant id/);
    expect(() => contentKey('', sha256('x'))).toThrow(/not a tenant id/);
  });
});

describe('staging and promotion', () => {
  it('stages under the tenant, promotes to the content key and removes the staging object', async () => {
    const t = tenant();
    const staged = await stageUpload(store, t, bytes('project export v1'), { contentType: 'application/zip' });
    expect(staged.stagingKey).toMatch(new RegExp(`^tenants/${t}/staging/[0-9a-f-]{36}$`));
    expect(staged).toMatchObject({ sha256: sha256('project export v1'), size: 17 });
    const promoted = await promoteStaged(store, t, staged);
    expect(promoted).toEqual({ key: contentKey(t, staged.sha256), deduplicated: false });
    expect(await store.stat(staged.stagingKey)).toBeNull();
    expect((await sha256Of(await store.getStream(promoted.key))).sha256).toBe(staged.sha256);
  });

  it('de-duplicates the same bytes within a tenant', async () => {
    const t = tenant();
    const first = await promoteStaged(store, t, await stageUpload(store, t, bytes('same bytes')));
    const secondStaged = await stageUpload(store, t, bytes('same bytes'));
    const second = await promoteStaged(store, t, secondStaged);
    expect(second).toEqual({ key: first.key, deduplicated: true });
    expect(await store.stat(secondStaged.stagingKey)).toBeNull();
    const keys: string[] = [];
    for await (const o of store.list(`tenants/${t}/`)) keys.push(o.key);
    expect(keys).toEqual([first.key]);
  });

  it('never de-duplicates across tenants: each holds its own copy', async () => {
    const [a, b] = [tenant(), tenant()];
    const inA = await promoteStaged(store, a, await stageUpload(store, a, bytes('shared driver jar')));
    const inB = await promoteStaged(store, b, await stageUpload(store, b, bytes('shared driver jar')));
    expect(inB.deduplicated).toBe(false);
    expect(inB.key).not.toBe(inA.key);
    expect(inB.key.startsWith(`tenants/${b}/`)).toBe(true);
    // Removing one tenant's copy leaves the other's intact.
    await store.remove(inA.key);
    expect((await store.stat(inB.key))?.size).toBe(17);
  });

  it("refuses to promote or discard another tenant's staging object", async () => {
    const [a, b] = [tenant(), tenant()];
    const staged = await stageUpload(store, a, bytes('mine'));
    await expect(promoteStaged(store, b, staged)).rejects.toThrow(/is not a staging key of tenant/);
    await expect(discardStaged(store, b, staged)).rejects.toThrow(/is not a staging key of tenant/);
    await expect(promoteStaged(store, a, { ...staged, stagingKey: `tenants/${a}/sha256/ab/cd` })).rejects.toThrow(/is not a staging key/);
    expect(await store.stat(staged.stagingKey)).not.toBeNull();
    await discardStaged(store, a, staged);
    expect(await store.stat(staged.stagingKey)).toBeNull();
  });

  it('stores nothing when staging passes maxBytes', async () => {
    const t = tenant();
    await expect(stageUpload(store, t, bytes('0123456789'), { maxBytes: 5 })).rejects.toBeInstanceOf(ObjectTooLargeError);
    const left: string[] = [];
    for await (const o of store.list(`tenants/${t}/`)) left.push(o.key);
    expect(left).toEqual([]);
  });
});

describe('sweepStaging', () => {
  it('removes staging objects older than the cutoff and nothing else', async () => {
    const t = tenant();
    const kept = await promoteStaged(store, t, await stageUpload(store, t, bytes('kept content')));
    const leftover = await stageUpload(store, t, bytes('crash leftover'));
    // Nothing is older than an hour ago.
    expect(await sweepStaging(store, new Date(Date.now() - 3600_000), { tenantIds: [t] })).toBe(0);
    expect(await store.stat(leftover.stagingKey)).not.toBeNull();
    // S3 dates have whole seconds: a cutoff in the future covers the leftover.
    expect(await sweepStaging(store, new Date(Date.now() + 5_000), { tenantIds: [t] })).toBe(1);
    expect(await store.stat(leftover.stagingKey)).toBeNull();
    expect(await store.stat(kept.key)).not.toBeNull();
  });

  it('without tenant ids, walks every tenant', async () => {
    const [a, b] = [tenant(), tenant()];
    const sa = await stageUpload(store, a, bytes('a'));
    const sb = await stageUpload(store, b, bytes('b'));
    expect(await sweepStaging(store, new Date(Date.now() + 5_000))).toBeGreaterThanOrEqual(2);
    expect(await store.stat(sa.stagingKey)).toBeNull();
    expect(await store.stat(sb.stagingKey)).toBeNull();
  });
});
