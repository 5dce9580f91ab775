// S3 configuration, the embedded server's start-up, and what start-up hands to objectStore().
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@/server/config';
import { startEmbeddedS3 } from '@/server/storage/embedded';
import { ObjectStore, objectStore, startObjectStorage, storageSettings } from '@/server/storage';
import { freePort } from '@/tests/setup/global-db';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(path.resolve('.test-data'), 'storage-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const configError = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('S3 configuration', () => {
  it('defaults to the embedded server, bucket switchyard, us-east-1, port 54330', () => {
    const c = parseConfig({});
    expect(c.S3_ENDPOINT).toBeUndefined();
    expect(c).toMatchObject({ S3_BUCKET: 'switchyard', S3_REGION: 'us-east-1', SWITCHYARD_S3_PORT: 54330 });
  });

  it('accepts an endpoint with both keys', () => {
    const c = parseConfig({ S3_ENDPOINT: 'https://s3.example.com:9000', S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk', S3_BUCKET: 'plant-artifacts', S3_USE_SSL: 'true' });
    expect(c).toMatchObject({ S3_ENDPOINT: 'https://s3.example.com:9000', S3_BUCKET: 'plant-artifacts', S3_USE_SSL: true });
  });

  it('refuses an endpoint without keys, and keys without an endpoint', () => {
    expect(configError({ S3_ENDPOINT: 'http://minio:9000' })).toMatch(/S3_ACCESS_KEY: S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT/);
    expect(configError({ S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'ak' })).toMatch(/required with S3_ENDPOINT/);
    expect(configError({ S3_SECRET_KEY: 'sk' })).toMatch(/S3_ENDPOINT: is required with S3_ACCESS_KEY and S3_SECRET_KEY/);
  });

  it('refuses endpoints that are not plain http(s) URLs, and never echoes the secret', () => {
    const keys = { S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'do-not-print-me' };
    expect(configError({ S3_ENDPOINT: 'not a url', ...keys })).toMatch(/S3_ENDPOINT/);
    expect(configError({ S3_ENDPOINT: 'ftp://minio:9000', ...keys })).toMatch(/S3_ENDPOINT: must start with http:\/\/ or https:\/\//);
    expect(configError({ S3_ENDPOINT: 'http://minio:9000/bucket', ...keys })).toMatch(/no path or query/);
    expect(configError({ S3_ENDPOINT: 'http://u:p@minio:9000', ...keys })).toMatch(/must not carry credentials/);
    const msg = configError({ S3_ENDPOINT: 'http://minio:9000', S3_USE_SSL: 'true', ...keys });
    expect(msg).toMatch(/S3_USE_SSL: contradicts S3_ENDPOINT's http:\/\/ scheme/);
    expect(msg).not.toContain('do-not-print-me');
  });

  it('refuses bucket names S3 would refuse, and bad ports', () => {
    for (const bucket of ['ab', 'Upper', '-dash', 'x'.repeat(64), 'under_score']) expect(configError({ S3_BUCKET: bucket })).toMatch(/S3_BUCKET: is 3-63 lowercase/);
    expect(configError({ SWITCHYARD_S3_PORT: '70000' })).toMatch(/SWITCHYARD_S3_PORT/);
    expect(configError({ S3_USE_SSL: 'yes' })).toMatch(/S3_USE_SSL/);
  });
});

describe('the embedded server', () => {
  it('keeps its objects across a restart on the same folder', async () => {
    const dir = await tempDir();
    const settings = (s: { endpoint: string; accessKey: string; secretKey: string }) => ({ ...s, bucket: 'persist', region: 'us-east-1' });
    const first = await startEmbeddedS3({ dir, port: 0 });
    const store = new ObjectStore(settings(first));
    await store.ensureBucket();
    await store.putStream('kept/one', Readable.from([Buffer.from('still here')]));
    await first.close();
    const second = await startEmbeddedS3({ dir, port: 0 });
    try {
      const again = new ObjectStore(settings(second));
      await again.ensureBucket(); // already there: no error
      expect((await again.readRange('kept/one', 0, 100)).toString()).toBe('still here');
    } finally {
      await second.close();
    }
  });

  it('says which port is taken and what to set', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      await expect(startEmbeddedS3({ dir: await tempDir(), port })).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: the port is taken; set SWITCHYARD_S3_PORT`);
    } finally {
      blocker.close();
    }
  });
});

describe('start-up', () => {
  it('without S3_ENDPOINT starts the embedded server under <data dir>/s3, creates the bucket and points objectStore() at it', async () => {
    const dataDir = await tempDir();
    const port = await freePort();
    const saved = { ...process.env };
    const storage = await startObjectStorage(parseConfig({ SWITCHYARD_S3_PORT: String(port), S3_BUCKET: 'startup-check' }), dataDir);
    try {
      expect(storage.settings).toMatchObject({ endpoint: `http://127.0.0.1:${port}`, bucket: 'startup-check' });
      expect(storageSettings()).toEqual(storage.settings);
      // Mirrored for the console's bundle and child processes.
      expect(process.env.S3_ENDPOINT).toBe(`http://127.0.0.1:${port}`);
      expect(process.env.S3_BUCKET).toBe('startup-check');
      await objectStore().putStream('probe', Readable.from([Buffer.from('ok')]));
      expect((await objectStore().stat('probe'))?.size).toBe(2);
    } finally {
      await storage.close();
      process.env = saved;
    }
    // The data lives in the data dir, under the bucket's name.
    const restarted = await startEmbeddedS3({ dir: path.join(dataDir, 's3'), port: 0 });
    try {
      expect((await new ObjectStore({ ...restarted, bucket: 'startup-check', region: 'us-east-1' }).stat('probe'))?.size).toBe(2);
    } finally {
      await restarted.close();
    }
  });

  it('with S3_ENDPOINT pointing nowhere fails with the typed message', async () => {
    const port = await freePort();
    const saved = { ...process.env };
    try {
      await expect(startObjectStorage(parseConfig({ S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk' }), await tempDir()))
        .rejects.toThrow(`object storage unavailable at http://127.0.0.1:${port}: cannot connect (ECONNREFUSED); start it or fix S3_ENDPOINT`);
    } finally {
      process.env = saved;
    }
  });
});
