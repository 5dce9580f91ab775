import { beforeAll, describe, expect, it } from 'vitest';
import { buildModule, buildProjectExport } from '@/lib/artifacts/fixtures';
import { buildZip, renameEntry, setEntryFlags } from '@/lib/zip/zip-fixtures';
import { makeTenant } from '../helpers/db';
import { storedKeys, uploadOver } from './support/artifacts';
import { tenantSnapshot } from './support/snapshot';

// Every refusal of point 4 with a crafted file: a clear error naming the problem, and nothing left behind (no
// artifact or version row, no object, not even a staging object).

let t: Awaited<ReturnType<typeof makeTenant>>;
let token: string;
beforeAll(async () => {
  t = await makeTenant('art-refuse');
  token = (await t.ownerCaller.tokens.create({ tenantId: t.tenant.id, name: 'ci', role: 'admin' })).token;
});

const project = (extra: { name: string; data: string | Buffer; mode?: number }[] = []) =>
  buildZip([{ name: 'project.json', data: '{"title":"P","enabled":true}' }, { name: 'ignition/script-python/a/resource.json', data: '{"scope":"A"}' }, ...extra]);

const CASES: { label: string; kind: string; file: () => Promise<Buffer>; message: RegExp }[] = [
  { label: 'a file that is not a zip', kind: 'project', file: async () => Buffer.from('just some text, not an archive'), message: /not a zip/i },
  { label: 'an entry escaping with ../', kind: 'project', file: async () => renameEntry(await project([{ name: 'xx/evil.txt', data: 'x' }]), 'xx/evil.txt', '../evil.txt'), message: /\.\.\/evil\.txt|outside|escape/i },
  { label: 'an absolute entry path', kind: 'project', file: async () => renameEntry(await project([{ name: 'xetc/passwd', data: 'x' }]), 'xetc/passwd', '/etc/passwd'), message: /absolute|\/etc\/passwd/i },
  { label: 'a symlink entry', kind: 'project', file: () => project([{ name: 'link', data: '/etc/passwd', mode: 0o120777 }]), message: /symlink|symbolic link/i },
  { label: 'an encrypted entry', kind: 'project', file: async () => setEntryFlags(await project([{ name: 'secret.bin', data: 'x' }]), 'secret.bin', 0x1), message: /encrypt/i },
  { label: 'an archive bomb (compression ratio)', kind: 'project', file: () => project([{ name: 'bomb.bin', data: Buffer.alloc(64 * 1024 ** 2) }]), message: /ratio|bomb|compress/i },
  { label: 'a module uploaded as a project', kind: 'project', file: () => buildModule({ id: 'com.example.m', version: '1.0.0', requiredIgnitionVersion: '8.3.0' }), message: /module/i },
  { label: 'a project uploaded as a module', kind: 'module', file: () => buildProjectExport({ title: 'P', resources: { 'ignition/script-python/a/code.py': 'x' } }), message: /project/i },
  { label: 'a project uploaded as a JDBC driver', kind: 'jdbc-driver', file: () => buildProjectExport({ title: 'P', resources: { 'ignition/script-python/a/code.py': 'x' } }), message: /driver|project/i },
  { label: 'a zip without backupinfo.xml as a backup', kind: 'backup', file: () => buildZip([{ name: 'readme.txt', data: 'hello' }]), message: /backupinfo\.xml/i },
  { label: 'a project.json that is not JSON', kind: 'project', file: () => buildZip([{ name: 'project.json', data: '{not json' }]), message: /project\.json/i },
];

describe('refused uploads leave nothing behind', () => {
  it.each(CASES)('$label', async ({ kind, file, message }) => {
    const before = await tenantSnapshot(t.tenant.id);
    const res = await uploadOver(token, t.tenant.id, await file(), { name: 'refused', kind });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(message) });
    const after = await tenantSnapshot(t.tenant.id);
    expect(after.artifacts).toEqual(before.artifacts);
    expect(after.artifact_versions).toEqual(before.artifact_versions);
    expect(after.artifact_objects).toEqual(before.artifact_objects);
    expect(await storedKeys(t.tenant.id)).toEqual([]);
  });

  it('a file over its kind\'s limit is refused before it is read (413) and while streaming without a length', async () => {
    const big = Buffer.alloc(1024 ** 2 + 1, 0x41);
    const declared = await uploadOver(token, t.tenant.id, big, { name: 'lic', kind: 'licence' });
    expect(declared).toMatchObject({ status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('1 MiB') } } });
    const streamed = await uploadOver(token, t.tenant.id, big, { name: 'lic', kind: 'licence' }, { chunked: true });
    expect(streamed).toMatchObject({ status: 413, json: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(await storedKeys(t.tenant.id)).toEqual([]);
    expect((await tenantSnapshot(t.tenant.id)).artifacts).toEqual([]);
  });

  it('bad parameters name the field', async () => {
    const data = await project();
    expect(await uploadOver(token, t.tenant.id, data, { name: '', kind: 'project' })).toMatchObject({ status: 400, json: { error: { fieldErrors: { name: [expect.any(String)] } } } });
    expect(await uploadOver(token, t.tenant.id, data, { name: 'x', kind: 'firmware' })).toMatchObject({ status: 400, json: { error: { fieldErrors: { kind: [expect.stringContaining('project')] } } } });
    expect(await uploadOver(token, t.tenant.id, data, { name: '../etc', kind: 'project' })).toMatchObject({ status: 400, json: { error: { fieldErrors: { name: [expect.any(String)] } } } });
    expect(await uploadOver(token, t.tenant.id, data, { name: 'x', kind: 'project', sourceBuildUrl: 'not a url' })).toMatchObject({ status: 400 });
    const ok = await uploadOver(token, t.tenant.id, data, { name: 'kept', kind: 'project' });
    expect(ok.status).toBe(201);
    const clash = await uploadOver(token, t.tenant.id, await buildModule({ id: 'a.b', version: '1.0.0', requiredIgnitionVersion: '8.3.0' }), { name: 'kept', kind: 'module' });
    expect(clash).toMatchObject({ status: 409, json: { error: { message: expect.stringContaining('project') } } });
    expect(await storedKeys(t.tenant.id)).toHaveLength(1);
  });
});
