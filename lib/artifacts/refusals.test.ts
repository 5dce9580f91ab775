import { describe, expect, it } from 'vitest';
import { buildZip, renameEntry, setEntryFlags } from '../zip/zip-fixtures';
import { ArtifactRejected } from './errors';
import { buildBackup, buildJdbcJar, buildModule, buildProjectExport } from './fixtures';
import { inspectArtifact } from './inspect';
import type { ArtifactKind } from './kinds';
import { expectRejected } from './test-support';

const view = 'com.inductiveautomation.perspective/views/Home/view.json';

describe('archive safety, for every zip kind', () => {
  const zipKinds: ArtifactKind[] = ['project', 'backup', 'module', 'jdbc-driver'];

  it.each(zipKinds)('%s: refuses data that is not a zip', async (kind) => {
    const error = await expectRejected(inspectArtifact(kind, Buffer.from('just some text'), { label: 'up.bin' }), 'not-a-zip');
    expect(error.message).toMatch(/^up\.bin is not a zip archive, so it cannot be a .*; upload the file as exported/);
  });

  it.each(zipKinds)('%s: refuses an entry that climbs out with ".."', async (kind) => {
    const zip = renameEntry(await buildZip([{ name: 'module.xml', data: '<x/>' }, { name: 'xx/evil.sh', data: 'x' }]), 'xx/evil.sh', '../evil.sh');
    await expectRejected(inspectArtifact(kind, zip, { label: 'up.zip' }), 'unsafe-path', /up\.zip: entry "\.\.\/evil\.sh" refused.*re-create the archive/);
  });

  it('refuses absolute paths, symlinks and encrypted entries', async () => {
    const absolute = renameEntry(await buildProjectExport({ resources: { 'xetc/passwd/x': 'x' } }), 'xetc/passwd/x', '/etc/passwd/x');
    await expectRejected(inspectArtifact('project', absolute), 'unsafe-path', /absolute path/);
    const link = await buildZip([{ name: 'module.xml', data: '<x/>' }, { name: 'link', data: '/etc/shadow', mode: 0o120777 }]);
    await expectRejected(inspectArtifact('module', link), 'symlink', /symbolic link/);
    const encrypted = setEntryFlags(await buildModule(), 'module.xml', 0x1);
    await expectRejected(inspectArtifact('module', encrypted), 'encrypted', /upload an unencrypted archive/);
  });

  it('refuses bombs: compression ratio, total size and entry count', async () => {
    const ratio = await buildProjectExport({ resources: { [view]: Buffer.alloc(8 * 1024 ** 2) } });
    await expectRejected(inspectArtifact('project', ratio), 'compression-ratio', /zip bomb.*a genuine project export does not look like this/);
    const big = await buildModule();
    await expectRejected(inspectArtifact('module', big, { limits: { maxTotalUncompressedBytes: 100 } }), 'too-large');
    const many = await buildZip(Array.from({ length: 20 }, (_, index) => ({ name: `f${index}`, data: 'x' })));
    await expectRejected(inspectArtifact('jdbc-driver', many, { limits: { maxEntries: 10 } }), 'too-many-entries');
  });

  it('refuses an unsafe zip even as "other" (someone may extract it later)', async () => {
    const zip = renameEntry(await buildZip([{ name: 'xx/evil.sh', data: 'x' }]), 'xx/evil.sh', '../evil.sh');
    await expectRejected(inspectArtifact('other', zip), 'unsafe-path');
  });

  it('reports damaged entry data found while hashing', async () => {
    const zip = await buildProjectExport({ resources: { [view]: 'a'.repeat(3000) } });
    // Declare a smaller uncompressed size than the data holds: yauzl notices while streaming.
    const patched = Buffer.from(zip);
    const name = Buffer.from(view);
    for (let offset = 0; offset + 4 <= patched.length; offset++) {
      const signature = patched.readUInt32LE(offset);
      if (signature === 0x04034b50 && patched.subarray(offset + 30, offset + 30 + name.length).equals(name)) patched.writeUInt32LE(10, offset + 22);
      if (signature === 0x02014b50 && patched.subarray(offset + 46, offset + 46 + name.length).equals(name)) patched.writeUInt32LE(10, offset + 24);
    }
    await expectRejected(inspectArtifact('project', patched), 'corrupt', /cannot be read.*upload an intact copy/);
  });

  it('refuses empty and oversized files before reading them', async () => {
    await expectRejected(inspectArtifact('module', Buffer.alloc(0), { label: 'm.modl' }), 'empty', /m\.modl is empty/);
    const zip = await buildModule();
    await expectRejected(inspectArtifact('module', zip, { maxBytes: 100 }), 'file-too-large', /more than the 100 bytes allowed for a module/);
  });
});

describe('wrong kind', () => {
  const cases: Array<[ArtifactKind, () => Promise<Buffer>, RegExp]> = [
    ['project', () => buildModule(), /looks like a module \(module\.xml found\), not a project export; choose kind module/],
    ['project', () => buildBackup({ projects: ['A'] }), /looks like a gateway backup \(backupinfo\.xml found\), not a project export; choose kind backup/],
    ['project', () => buildJdbcJar({ classes: ['a.Driver'] }), /looks like a JDBC driver jar .*choose kind jdbc-driver/],
    ['module', () => buildProjectExport({ resources: { [view]: '{}' } }), /looks like a project export \(project\.json found\), not a module; choose kind project/],
    ['module', () => buildBackup(), /choose kind backup/],
    ['backup', () => buildProjectExport({ rootFolder: 'Plant' }), /choose kind project/],
    ['backup', () => buildModule(), /choose kind module/],
    ['jdbc-driver', () => buildModule(), /looks like a module \(module\.xml found\), not a JDBC driver jar; choose kind module/],
  ];

  it.each(cases)('a file uploaded as %s names the kind it looks like', async (kind, build, message) => {
    await expectRejected(inspectArtifact(kind, await build(), { label: 'upload' }), 'wrong-kind', message);
  });

  it('accepts a file that carries its own kind marker', async () => {
    await expect(inspectArtifact('module', await buildModule())).resolves.toMatchObject({ kind: 'module' });
  });

  it('is an ArtifactRejected with a stable name, usable across module boundaries', async () => {
    const error = await inspectArtifact('module', await buildBackup()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArtifactRejected);
    expect((error as Error).name).toBe('ArtifactRejected');
  });
});
