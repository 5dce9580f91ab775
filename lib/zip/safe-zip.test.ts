import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listZipEntries, openSafeZip, readZipEntry, unsafeNameReason, ZipError, type ZipErrorCode } from './index';
import { buildZip, renameEntry, setEntryFlags } from './zip-fixtures';

async function refusal(promise: Promise<unknown>): Promise<ZipError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ZipError) return error;
    throw error;
  }
  throw new Error('expected a ZipError, got success');
}

async function expectRefused(promise: Promise<unknown>, code: ZipErrorCode, entry?: string): Promise<ZipError> {
  const error = await refusal(promise);
  expect(error.code).toBe(code);
  if (entry !== undefined) expect(error.entry).toBe(entry);
  return error;
}

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'sy-zip-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('listing a well-formed archive', () => {
  it('lists files and folders from a buffer and from a path', async () => {
    const zip = await buildZip([
      { name: 'module.xml', data: '<modules/>' },
      { name: 'lib/a.jar', data: randomBytes(100), compress: false },
    ]);
    const fromBuffer = await listZipEntries(zip);
    expect(fromBuffer.map((entry) => entry.name)).toEqual(['module.xml', 'lib/a.jar']);
    expect(fromBuffer[1]).toMatchObject({ uncompressedSize: 100, compressedSize: 100, isDirectory: false });

    const file = join(workDir, 'ok.zip');
    await writeFile(file, zip);
    expect((await listZipEntries(file)).length).toBe(2);
    expect((await readZipEntry(file, 'module.xml')).toString()).toBe('<modules/>');
  });

  it('reads several entries from one open archive', async () => {
    const zip = await openSafeZip(await buildZip([{ name: 'a', data: 'A' }, { name: 'b/c.txt', data: 'C' }]));
    try {
      expect(zip.has('b/c.txt')).toBe(true);
      expect(zip.has('missing')).toBe(false);
      expect((await zip.read('a')).toString()).toBe('A');
      expect((await zip.read('b/c.txt')).toString()).toBe('C');
    } finally {
      zip.close();
    }
  });

  it('judges Windows separators as separators', async () => {
    const zip = renameEntry(await buildZip([{ name: 'xx/yy/evil', data: 'x' }]), 'xx/yy/evil', '..\\..\\evil');
    await expectRefused(listZipEntries(zip), 'unsafe-path', '../../evil');
  });
});

describe('refusals', () => {
  it('refuses zip slip with ".." and names the entry and the archive', async () => {
    const zip = renameEntry(await buildZip([{ name: 'xx/evil.sh', data: 'x' }]), 'xx/evil.sh', '../evil.sh');
    const error = await expectRefused(listZipEntries(zip, { label: 'upload.zip' }), 'unsafe-path', '../evil.sh');
    expect(error.message).toContain('upload.zip');
    expect(error.message).toContain('"../evil.sh"');
  });

  it('refuses a ".." in the middle of the path', async () => {
    const zip = renameEntry(await buildZip([{ name: 'a/xx/b', data: 'x' }]), 'a/xx/b', 'a/../b');
    await expectRefused(listZipEntries(zip), 'unsafe-path');
  });

  it('refuses absolute and drive-letter paths', async () => {
    const absolute = renameEntry(await buildZip([{ name: 'xetc/passwd', data: 'x' }]), 'xetc/passwd', '/etc/passwd');
    await expectRefused(listZipEntries(absolute), 'unsafe-path', '/etc/passwd');
    const drive = renameEntry(await buildZip([{ name: 'xxWindows/x', data: 'x' }]), 'xxWindows/x', 'C:Windows/x');
    await expectRefused(listZipEntries(drive), 'unsafe-path');
  });

  it('refuses a symlink entry marked in the external attributes', async () => {
    const zip = await buildZip([
      { name: 'ok.txt', data: 'fine' },
      { name: 'link', data: '/etc/shadow', mode: 0o120777 },
    ]);
    await expectRefused(listZipEntries(zip), 'symlink', 'link');
  });

  it('refuses device or fifo entries', async () => {
    const zip = await buildZip([{ name: 'fifo', data: '', mode: 0o010644 }]);
    await expectRefused(listZipEntries(zip), 'special-file', 'fifo');
  });

  it('refuses an entry with the encrypted flag', async () => {
    const zip = setEntryFlags(await buildZip([{ name: 'secret.txt', data: 'hidden text' }]), 'secret.txt', 0x1);
    const error = await expectRefused(listZipEntries(zip), 'encrypted', 'secret.txt');
    expect(error.message).toMatch(/unencrypted/);
  });

  it('refuses more entries than the limit before walking them', async () => {
    const zip = await buildZip(Array.from({ length: 6 }, (_, index) => ({ name: `f${index}`, data: 'x' })));
    await expect(listZipEntries(zip, { limits: { maxEntries: 6 } })).resolves.toHaveLength(6);
    await expectRefused(listZipEntries(zip, { limits: { maxEntries: 5 } }), 'too-many-entries');
  });

  it('refuses a bomb by compression ratio', async () => {
    const zip = await buildZip([{ name: 'zeros.bin', data: Buffer.alloc(4 * 1024 ** 2) }]);
    const error = await expectRefused(listZipEntries(zip), 'compression-ratio', 'zeros.bin');
    expect(error.message).toMatch(/zip bomb/);
    // The same archive passes when the caller deliberately allows it.
    await expect(listZipEntries(zip, { limits: { maxCompressionRatio: 5000 } })).resolves.toHaveLength(1);
  });

  it('refuses a bomb by total uncompressed size even with honest ratios', async () => {
    const entries = Array.from({ length: 4 }, (_, index) => ({ name: `r${index}`, data: randomBytes(64 * 1024) }));
    const zip = await buildZip(entries);
    await expectRefused(listZipEntries(zip, { limits: { maxTotalUncompressedBytes: 200 * 1024 } }), 'too-large');
    await expect(listZipEntries(zip, { limits: { maxTotalUncompressedBytes: 256 * 1024 } })).resolves.toHaveLength(4);
  });

  it('refuses duplicate names', async () => {
    const zip = renameEntry(await buildZip([{ name: 'a.txt', data: '1' }, { name: 'b.txt', data: '2' }]), 'b.txt', 'a.txt');
    await expectRefused(listZipEntries(zip), 'duplicate-entry', 'a.txt');
  });

  it('refuses data that is not a zip, and an empty file', async () => {
    await expectRefused(listZipEntries(Buffer.from('definitely not a zip archive')), 'not-a-zip');
    const empty = join(workDir, 'empty.modl');
    await writeFile(empty, '');
    const error = await expectRefused(listZipEntries(empty), 'not-a-zip');
    expect(error.source).toBe('empty.modl');
  });

  it('reports a truncated archive instead of crashing', async () => {
    const zip = await buildZip([{ name: 'a.txt', data: randomBytes(2000) }]);
    const truncated = zip.subarray(0, zip.length - 30);
    await expectRefused(listZipEntries(truncated), 'not-a-zip');
  });
});

describe('reading one entry', () => {
  it('caps the size by declaration', async () => {
    const zip = await buildZip([{ name: 'big.xml', data: 'x'.repeat(5000) }]);
    await expectRefused(readZipEntry(zip, 'big.xml', { maxBytes: 4999 }), 'entry-too-large', 'big.xml');
    expect((await readZipEntry(zip, 'big.xml', { maxBytes: 5000 })).length).toBe(5000);
  });

  it('does not trust a declared size that lies', async () => {
    const zip = await buildZip([{ name: 'liar.txt', data: 'y'.repeat(3000) }]);
    // Shrink the declared uncompressed size in both headers to 10 bytes.
    const patched = Buffer.from(zip);
    for (let offset = 0; offset + 4 <= patched.length; offset++) {
      const signature = patched.readUInt32LE(offset);
      if (signature === 0x04034b50) patched.writeUInt32LE(10, offset + 22);
      if (signature === 0x02014b50) patched.writeUInt32LE(10, offset + 24);
    }
    const error = await refusal(readZipEntry(patched, 'liar.txt', { maxBytes: 100 }));
    expect(['entry-too-large', 'corrupt']).toContain(error.code);
  });

  it('names a missing entry and refuses reading a folder', async () => {
    const zip = await buildZip([{ name: 'dir/', data: '' }]);
    await expectRefused(readZipEntry(zip, 'module.xml'), 'entry-not-found', 'module.xml');
    await expectRefused(readZipEntry(zip, 'dir/'), 'entry-not-found');
  });
});

describe('unsafeNameReason', () => {
  it('accepts plain relative names and refuses the rest', () => {
    expect(unsafeNameReason('a/b/c.txt')).toBeUndefined();
    expect(unsafeNameReason('./a')).toBeUndefined();
    expect(unsafeNameReason('a..b/c')).toBeUndefined();
    expect(unsafeNameReason('')).toMatch(/empty/);
    expect(unsafeNameReason('a\nb')).toMatch(/control/);
    expect(unsafeNameReason('a\u0000b')).toMatch(/control/);
    expect(unsafeNameReason('..')).toMatch(/\.\./);
  });
});
