import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { buildProjectExport } from '@/lib/artifacts/fixtures';
import { resolveAccess } from '@/server/services/access';
import { uploadVersion, type UploadTarget } from '@/server/services/artifacts-upload';
import { collectGarbage } from '@/server/services/artifacts-gc';
import { contentKey, ObjectStore, objectStore, storageSettings } from '@/server/storage';
import { appDb, makeTenant, ownerDb } from '../helpers/db';
import { baseUrl } from '../helpers/http';
import { storedKeys, uploadOver } from './support/artifacts';
import { tenantSnapshot } from './support/snapshot';

// Faults, deletion and garbage collection, through the services with the real database and the real S3 server.

let t: Awaited<ReturnType<typeof makeTenant>>;
let scope: { tenantId: string; access: NonNullable<Awaited<ReturnType<typeof resolveAccess>>> };
const who = () => ({ actor: t.owner, meta: { requestId: 'lifecycle', sourceIp: null, userAgent: null } });
const target = (name: string, filename = `${name}.zip`): UploadTarget => ({ name, kind: 'project', siteId: null, filename, contentType: 'application/zip', source: {}, notes: '' });
const projectBytes = (title: string) => buildProjectExport({ title, resources: { 'ignition/script-python/lib/code.py': `# ${title}` } });

beforeAll(async () => {
  t = await makeTenant('art-life');
  const access = await withTenant(appDb().db, t.tenant.id, (tx) => resolveAccess(tx, t.tenant.id, t.owner));
  scope = { tenantId: t.tenant.id, access: access! };
});

describe('faults', () => {
  it('object storage unreachable during the upload: a clear error, and no row', async () => {
    const down = new ObjectStore({ ...storageSettings(), endpoint: 'http://127.0.0.1:9' });
    const before = await tenantSnapshot(t.tenant.id);
    const attempt = uploadVersion(appDb().db, down, scope, who(), target('unreachable'), Readable.from([await projectBytes('x')]));
    await expect(attempt).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('object storage unavailable at http://127.0.0.1:9') });
    const after = await tenantSnapshot(t.tenant.id);
    expect({ a: after.artifacts, v: after.artifact_versions, o: after.artifact_objects }).toEqual({ a: before.artifacts, v: before.artifact_versions, o: before.artifact_objects });
  });

  it('the database failing after the bytes were written: the object is removed again, and no row stays', async () => {
    // A real failure inside the commit: a trigger refuses this one file name.
    const owner = ownerDb().db;
    await owner.execute(sql.raw(`create or replace function refuse_marked_version() returns trigger language plpgsql as $$
      begin if new.filename = 'db-fails.zip' then raise exception 'injected failure'; end if; return new; end $$`));
    await owner.execute(sql.raw('create or replace trigger refuse_marked_version before insert on artifact_versions for each row execute function refuse_marked_version()'));
    const data = await projectBytes('db fails');
    await expect(uploadVersion(appDb().db, objectStore(), scope, who(), target('db-fails', 'db-fails.zip'), Readable.from([data]))).rejects.toThrow();
    expect(await storedKeys(t.tenant.id)).toEqual([]);
    const after = await tenantSnapshot(t.tenant.id);
    expect(after.artifacts.filter((r) => r.name === 'db-fails')).toEqual([]);
    expect(after.artifact_objects).toEqual([]);
    await owner.execute(sql.raw('drop trigger refuse_marked_version on artifact_versions'));
  });
});

describe('deletion and garbage collection', () => {
  it('a deleted version\'s bytes stay until collected, and are collected only when nothing refers to them', async () => {
    const shared = await projectBytes('shared');
    const one = await uploadVersion(appDb().db, objectStore(), scope, who(), target('gc-one'), Readable.from([shared]));
    const two = await uploadVersion(appDb().db, objectStore(), scope, who(), target('gc-two'), Readable.from([shared]));
    const key = contentKey(t.tenant.id, one.version.sha256);
    await t.ownerCaller.artifacts.deleteVersion({ tenantId: t.tenant.id, versionId: one.version.id });
    expect(await collectGarbage(appDb().db, objectStore(), { tenantId: t.tenant.id, graceMs: 0 })).toMatchObject({ removedObjects: 0 });
    expect(await objectStore().stat(key)).not.toBeNull();
    await t.ownerCaller.artifacts.deleteVersion({ tenantId: t.tenant.id, versionId: two.version.id });
    const usageBefore = await t.ownerCaller.artifacts.usage({ tenantId: t.tenant.id });
    expect(usageBefore.objects).toBe(1);
    expect(await collectGarbage(appDb().db, objectStore(), { tenantId: t.tenant.id, graceMs: 0 })).toMatchObject({ removedObjects: 1, removedBytes: shared.length });
    expect(await objectStore().stat(key)).toBeNull();
    expect(await t.ownerCaller.artifacts.usage({ tenantId: t.tenant.id })).toEqual({ bytes: 0, objects: 0, versions: 0, limitBytes: 51_200 * 1024 * 1024 }); // the default limit
    const audit = await t.ownerCaller.audit.list({ tenantId: t.tenant.id, action: 'artifact.delete_version' });
    expect(audit).toHaveLength(2);
  });

  it('collects stray objects no row describes and staging leftovers, but not within the grace period', async () => {
    const stray = contentKey(t.tenant.id, 'ab'.repeat(32));
    await objectStore().putStream(stray, Readable.from([Buffer.from('stray')]));
    await objectStore().putStream(`tenants/${t.tenant.id}/staging/left-over`, Readable.from([Buffer.from('half')]));
    expect(await collectGarbage(appDb().db, objectStore(), { tenantId: t.tenant.id })).toMatchObject({ strayObjects: 0, stagingObjects: 0 });
    expect(await collectGarbage(appDb().db, objectStore(), { tenantId: t.tenant.id, graceMs: 0 })).toMatchObject({ strayObjects: 1, stagingObjects: 1 });
    expect(await storedKeys(t.tenant.id)).toEqual([]);
  });
});

describe('the storage quota', () => {
  it('refuses new bytes beyond the limit, naming it and leaving nothing; bytes the tenant holds already still upload', async () => {
    const q = await makeTenant('art-quota');
    const tenantId = q.tenant.id;
    const token = (await q.ownerCaller.tokens.create({ tenantId, name: 'ci', role: 'admin' })).token;
    // Quotas are the owner's (billing:manage); an admin token may not raise its own limit.
    const adminSet = await fetch(`${baseUrl()}/api/v1/tenants/${tenantId}/storage/quota`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ maxStorageMib: 1 }),
    });
    expect(adminSet.status).toBe(403);
    expect(await q.ownerCaller.artifacts.setStorageQuota({ tenantId, maxStorageMib: 1 })).toEqual({ limitBytes: 1024 ** 2, usedBytes: 0 });

    const first = randomBytes(600 * 1024);
    expect((await uploadOver(token, tenantId, first, { name: 'first', kind: 'other' })).status).toBe(201);
    const refused = await uploadOver(token, tenantId, randomBytes(600 * 1024), { name: 'second', kind: 'other' });
    expect(refused).toMatchObject({ status: 412, json: { error: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('artifact storage limit is 1 MiB, 600 KiB in use, this file needs 600 KiB more') } } });
    expect(await storedKeys(tenantId)).toHaveLength(1);
    expect((await q.ownerCaller.artifacts.list({ tenantId })).map((x) => x.name)).toEqual(['first']);

    expect((await uploadOver(token, tenantId, first, { name: 'first-again', kind: 'other' })).status).toBe(201);
    expect(await q.ownerCaller.artifacts.usage({ tenantId })).toEqual({ bytes: first.length, objects: 1, versions: 2, limitBytes: 1024 ** 2 });
  });
});
