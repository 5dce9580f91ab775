import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { testObjectStore } from '../setup/storage';
import { sha256, sha256Of, testPrefix } from './helpers';

// The embedded server copies by hard link (the staging -> content copy of every upload costs no bytes), and a key
// written again never changes another key that shares its file.
const store = testObjectStore();
// s3rver's layout: <dir>/<bucket>/<key's folders>/<key's last part>._S3rver_object
const objectFile = (key: string) => path.join(inject('s3').dir, inject('s3').bucket, `${key}._S3rver_object`);
const read = async (key: string) => (await sha256Of(await store.getStream(key))).sha256;

describe('server-side copies on the embedded server', () => {
  it('share the stored file, and stay intact when the source is written again or removed', async () => {
    const prefix = testPrefix('link');
    const first = Buffer.from('first contents');
    await store.putStream(`${prefix}src`, Readable.from([first]));
    await store.copy(`${prefix}src`, `${prefix}dst`);
    const [src, dst] = await Promise.all([stat(objectFile(`${prefix}src`)), stat(objectFile(`${prefix}dst`))]);
    expect(dst.ino).toBe(src.ino);
    expect(await store.stat(`${prefix}dst`)).toMatchObject({ size: first.length });

    await store.putStream(`${prefix}src`, Readable.from([Buffer.from('second, longer contents')]));
    expect(await read(`${prefix}dst`)).toBe(sha256(first));
    await store.remove(`${prefix}src`);
    expect(await read(`${prefix}dst`)).toBe(sha256(first));
  });
});
