import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockCache, bufferSource, fileHandleSource, openSafeZip, ZipError, type RandomAccessSource } from './index';
import { buildZip, setEntryFlags } from './zip-fixtures';

/** A source over a buffer that records every ranged read, as an S3 object would see its GETs. */
function countingSource(buffer: Buffer) {
  const reads: Array<{ offset: number; length: number }> = [];
  const source: RandomAccessSource = {
    size: buffer.length,
    read: async (offset, length) => {
      reads.push({ offset, length });
      return buffer.subarray(offset, offset + length);
    },
  };
  return { source, reads, bytesRead: () => reads.reduce((sum, read) => sum + read.length, 0) };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const MiB = 1024 ** 2;

let large: Buffer;
let blobs: Buffer[];
let workDir: string;
beforeAll(async () => {
  // 24 MiB of incompressible data in the middle, one small entry at each end.
  blobs = Array.from({ length: 3 }, () => randomBytes(8 * MiB));
  large = await buildZip([
    { name: 'first.txt', data: 'hello from the front' },
    ...blobs.map((data, index) => ({ name: `blob/${index}.bin`, data, compress: false })),
    { name: 'meta/module.xml', data: '<modules><module><id>x</id></module></modules>' },
  ]);
  workDir = await mkdtemp(join(tmpdir(), 'sy-zip-ra-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('a zip over a RandomAccessSource', () => {
  it('reads one small entry of a large archive with a few small ranged reads', async () => {
    const { source, reads, bytesRead } = countingSource(large);
    const zip = await openSafeZip(source, { label: 'upload.modl' });
    try {
      expect(zip.entries.map((entry) => entry.name)).toEqual(['first.txt', 'blob/0.bin', 'blob/1.bin', 'blob/2.bin', 'meta/module.xml']);
      expect((await zip.read('meta/module.xml')).toString()).toContain('<id>x</id>');
      expect((await zip.read('first.txt')).toString()).toBe('hello from the front');
    } finally {
      zip.close();
    }
    expect(large.length).toBeGreaterThan(24 * MiB);
    // The tail (directory + last entry) and the head: a few blocks, nowhere near the 24 MiB in between.
    expect(bytesRead()).toBeLessThan(MiB);
    expect(reads.length).toBeLessThanOrEqual(4);
    for (const read of reads) expect(read.offset < 256 * 1024 || read.offset > large.length - 512 * 1024).toBe(true);
  });

  it('hashes a large entry by streaming it, matching the bytes', async () => {
    const { source } = countingSource(large);
    const zip = await openSafeZip(source, { cache: { blockSize: 64 * 1024, maxBlocks: 4 } });
    try {
      expect(await zip.hash('blob/1.bin')).toBe(sha256(blobs[1]!));
      expect(await zip.hash('first.txt')).toBe(sha256('hello from the front'));
    } finally {
      zip.close();
    }
  });

  it('streams an entry and hashes the same from a path, a buffer and a file handle', async () => {
    const file = join(workDir, 'large.zip');
    await writeFile(file, large);
    const handle = await open(file, 'r');
    try {
      const expected = sha256(blobs[2]!);
      for (const source of [file, large, fileHandleSource(handle, large.length)]) {
        const zip = await openSafeZip(source);
        try {
          expect(await zip.hash('blob/2.bin')).toBe(expected);
          const stream = await zip.stream('first.txt');
          const chunks: Buffer[] = [];
          for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
          expect(Buffer.concat(chunks).toString()).toBe('hello from the front');
        } finally {
          zip.close();
        }
      }
    } finally {
      await handle.close();
    }
  });

  it('closes the file it opened for a path, also when the archive is refused', async () => {
    const file = join(workDir, 'fd.zip');
    await writeFile(file, large);
    const bad = join(workDir, 'bad.zip');
    await writeFile(bad, setEntryFlags(await buildZip([{ name: 'secret.txt', data: 'hidden' }]), 'secret.txt', 0x1));
    const openFds = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFds();
    for (let round = 0; round < 20; round++) {
      const zip = await openSafeZip(file);
      await zip.hash('first.txt');
      zip.close();
      await expect(openSafeZip(bad)).rejects.toMatchObject({ code: 'encrypted' });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openFds()).toBeLessThanOrEqual(before);
  });

  it('keeps the checks: an encrypted entry over a source is refused', async () => {
    const zip = setEntryFlags(await buildZip([{ name: 'secret.txt', data: 'hidden' }]), 'secret.txt', 0x1);
    await expect(openSafeZip(bufferSource(zip))).rejects.toMatchObject({ code: 'encrypted', entry: 'secret.txt' });
  });

  it('refuses a source that is not a zip, and one that fails or returns short reads', async () => {
    await expect(openSafeZip(bufferSource(Buffer.from('plain text, no zip here')), { label: 'x.zip' })).rejects.toMatchObject({
      code: 'not-a-zip',
      source: 'x.zip',
    });
    const failing: RandomAccessSource = { size: large.length, read: async () => Promise.reject(new Error('S3 said 503')) };
    const error = await openSafeZip(failing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ZipError);
    expect((error as ZipError).message).toContain('S3 said 503');
    // Claims more bytes than it serves: the directory lies beyond what can be read.
    const lying: RandomAccessSource = { size: large.length + 1000, read: async (offset, length) => large.subarray(offset, offset + length) };
    await expect(openSafeZip(lying)).rejects.toBeInstanceOf(ZipError);
  });

  it('names a missing entry when hashing or streaming', async () => {
    const zip = await openSafeZip(bufferSource(await buildZip([{ name: 'dir/', data: '' }, { name: 'a', data: 'A' }])));
    try {
      await expect(zip.hash('nope')).rejects.toMatchObject({ code: 'entry-not-found', entry: 'nope' });
      await expect(zip.stream('dir/')).rejects.toMatchObject({ code: 'entry-not-found' });
    } finally {
      zip.close();
    }
  });
});

describe('BlockCache', () => {
  it('serves repeated and overlapping reads from cached blocks, and drops the least recently used', async () => {
    const data = randomBytes(10_000);
    const { source, reads } = countingSource(data);
    const cache = new BlockCache(source, { blockSize: 1000, maxBlocks: 2 });
    expect(await cache.read(10, 20)).toEqual(data.subarray(10, 30));
    expect(await cache.read(900, 200)).toEqual(data.subarray(900, 1100)); // spans blocks 0 and 1
    expect(await cache.read(0, 5)).toEqual(data.subarray(0, 5));
    expect(reads).toEqual([{ offset: 0, length: 1000 }, { offset: 1000, length: 1000 }]);
    await cache.read(5000, 1); // evicts block 1 (block 0 was used more recently)
    await cache.read(1500, 1);
    expect(reads.map((read) => read.offset)).toEqual([0, 1000, 5000, 1000]);
    expect(await cache.read(9990, 100)).toEqual(data.subarray(9990)); // short only at the end
    expect(await cache.read(20_000, 10)).toEqual(Buffer.alloc(0));
  });
});
