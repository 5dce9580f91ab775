import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModule, buildProjectExport } from '@/lib/artifacts/fixtures';
import { contentKey, objectStore } from '@/server/storage';
import { makeTenant } from '../helpers/db';
import { baseUrl } from '../helpers/http';
import { storedKeys, uploadOver } from './support/artifacts';

// SWITCHYARD_QUOTA_STORAGE_MIB's default (50 GiB), which no test changes for this tenant.
const DEFAULT_STORAGE_LIMIT_BYTES = 51_200 * 1024 * 1024;

// The artifact store end to end: the streaming route on the real product server, the real embedded S3 server behind
// it through the minio client, and the procedures for everything else.

type Tenant = Awaited<ReturnType<typeof makeTenant>>;
let a: Tenant;
let b: Tenant;
let tokenA: string;
let tokenB: string;

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  a = await makeTenant('art-a');
  b = await makeTenant('art-b');
  tokenA = (await a.ownerCaller.tokens.create({ tenantId: a.tenant.id, name: 'ci', role: 'admin' })).token;
  tokenB = (await b.ownerCaller.tokens.create({ tenantId: b.tenant.id, name: 'ci', role: 'admin' })).token;
});

describe('uploading a project export through the streaming route with an API token', () => {
  let v1: Buffer;
  let v2: Buffer;
  beforeAll(async () => {
    v1 = await buildProjectExport({ title: 'Line 1 HMI', resources: {
      'com.inductiveautomation.perspective/views/Main/view.json': '{"root":{}}',
      'com.inductiveautomation.perspective/views/Alarms/view.json': '{"root":{"alarms":true}}',
      'ignition/script-python/utils/code.py': 'def f(): return 1',
    } });
    v2 = await buildProjectExport({ title: 'Line 1 HMI', resources: {
      'com.inductiveautomation.perspective/views/Main/view.json': '{"root":{"changed":1}}',
      'ignition/script-python/utils/code.py': 'def f(): return 1',
      'ignition/named-query/Count/query.sql': 'select count(*) from t',
    } });
  });

  it('stores the version with its hash, parsed metadata and source; the same bytes again are not a new version', async () => {
    const first = await uploadOver(tokenA, a.tenant.id, v1, { name: 'line1-hmi', kind: 'project', filename: 'line1.zip', sourceRepository: 'git@example.test:plant/hmi.git', sourceCommit: 'abc123', notes: 'first cut' });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      created: true, artifact: { name: 'line1-hmi', kind: 'project' },
      version: { number: 1, sha256: sha(v1), sizeBytes: v1.length, filename: 'line1.zip', notes: 'first cut', source: { repository: 'git@example.test:plant/hmi.git', commit: 'abc123' }, uploadedBy: 'token:ci' },
    });
    expect(first.json.version.metadata).toMatchObject({ kind: 'project', title: 'Line 1 HMI' });
    const again = await uploadOver(tokenA, a.tenant.id, v1, { name: 'line1-hmi', kind: 'project' });
    expect(again).toMatchObject({ status: 200, json: { created: false, version: { number: 1 } } });
    expect(await storedKeys(a.tenant.id)).toEqual([contentKey(a.tenant.id, sha(v1))]);
  });

  it('a second version shows the resources added, removed and changed', async () => {
    const second = await uploadOver(tokenA, a.tenant.id, v2, { name: 'line1-hmi', kind: 'project' });
    expect(second).toMatchObject({ status: 201, json: { version: { number: 2 } } });
    const { versions, artifact } = await a.ownerCaller.artifacts.get({ tenantId: a.tenant.id, artifactId: second.json.artifact.id });
    expect(versions.map((v) => v.number)).toEqual([2, 1]);
    const { diff } = await a.ownerCaller.artifacts.diff({ tenantId: a.tenant.id, artifactId: artifact.id, fromVersionId: versions[1]!.id, toVersionId: versions[0]!.id });
    expect(diff.added).toEqual(['ignition/named-query/Count']);
    expect(diff.removed).toEqual(['com.inductiveautomation.perspective/views/Alarms']);
    expect(diff.changed).toEqual(['com.inductiveautomation.perspective/views/Main']);
    expect(diff.unchanged).toBe(1);
  });

  it('the same bytes under another artifact are stored once in the tenant, and again (separately) in another tenant', async () => {
    const copy = await uploadOver(tokenA, a.tenant.id, v1, { name: 'line1-hmi-copy', kind: 'project' });
    expect(copy.status).toBe(201);
    expect(await storedKeys(a.tenant.id)).toHaveLength(2); // v1 and v2, not three
    expect(await a.ownerCaller.artifacts.usage({ tenantId: a.tenant.id })).toEqual({ bytes: v1.length + v2.length, objects: 2, versions: 3, limitBytes: DEFAULT_STORAGE_LIMIT_BYTES });
    const other = await uploadOver(tokenB, b.tenant.id, v1, { name: 'theirs', kind: 'project' });
    expect(other.status).toBe(201);
    expect(await storedKeys(b.tenant.id)).toEqual([contentKey(b.tenant.id, sha(v1))]);
  });
});

describe('downloads', () => {
  it('a link streams the exact bytes, is audited, and stops working once expired', async () => {
    const data = await buildModule({ id: 'com.example.dl', version: '1.2.3', requiredIgnitionVersion: '8.3.0' });
    const up = await uploadOver(tokenA, a.tenant.id, data, { name: 'dl-module', kind: 'module', filename: 'dl.modl' });
    expect(up.status).toBe(201);
    expect(up.json.version.metadata).toMatchObject({ kind: 'module', id: 'com.example.dl', version: '1.2.3' });
    const askedAt = Date.now();
    const link = await a.ownerCaller.artifacts.downloadLink({ tenantId: a.tenant.id, versionId: up.json.version.id, seconds: 60 });
    expect(link.expiresAt.getTime()).toBeGreaterThanOrEqual(askedAt + 60_000);
    const res = await fetch(`${baseUrl()}${link.path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('dl.modl');
    expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(data));
    const audit = await a.ownerCaller.audit.list({ tenantId: a.tenant.id, action: 'artifact.download' });
    expect(audit[0]).toMatchObject({ resourceId: up.json.version.id });
    const short = await a.ownerCaller.artifacts.downloadLink({ tenantId: a.tenant.id, versionId: up.json.version.id, seconds: 1 });
    await sleep(2100);
    const expired = await fetch(`${baseUrl()}${short.path}`);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ error: { message: expect.stringContaining('expired') } });
    const forged = await fetch(`${baseUrl()}${link.path.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
  });
});

describe('tenant B and tenant A\'s artifacts', () => {
  it('cannot list, read, diff, download or delete them through tRPC or REST, even knowing the ids and the hash', async () => {
    const [mine] = await a.ownerCaller.artifacts.list({ tenantId: a.tenant.id, kind: 'project' });
    const versionId = mine!.latestVersion!.id;
    const tenantId = b.tenant.id;
    expect((await b.ownerCaller.artifacts.list({ tenantId })).map((x) => x.name)).not.toContain(mine!.name);
    for (const attempt of [
      () => b.ownerCaller.artifacts.get({ tenantId, artifactId: mine!.id }),
      () => b.ownerCaller.artifacts.version({ tenantId, versionId }),
      () => b.ownerCaller.artifacts.downloadLink({ tenantId, versionId }),
      () => b.ownerCaller.artifacts.deleteVersion({ tenantId, versionId }),
      () => b.ownerCaller.artifacts.diff({ tenantId, artifactId: mine!.id, fromVersionId: versionId, toVersionId: versionId }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    const asB = (path: string) => fetch(`${baseUrl()}/api/v1${path}`, { headers: { authorization: `Bearer ${tokenB}` } });
    expect((await asB(`/tenants/${a.tenant.id}/artifacts`)).status).toBe(404);
    expect((await asB(`/tenants/${tenantId}/artifacts/${mine!.id}`)).status).toBe(404);
    expect((await asB(`/tenants/${tenantId}/artifacts/versions/${versionId}`)).status).toBe(404);
    const intoA = await uploadOver(tokenB, a.tenant.id, Buffer.from('x'), { name: 'smuggled', kind: 'other' });
    expect(intoA.status).toBe(404);
    // The object key is not a way in either: B's store calls are keyed by B's tenant.
    expect(await objectStore().stat(contentKey(b.tenant.id, mine!.latestVersion!.sha256))).toBeNull();
  });
});
