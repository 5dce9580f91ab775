// One embedded S3 server for the integration run, in a temp dir; its settings reach the test workers through
// provide/inject (see storage.ts) and the product server through S3_* variables (global-server.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedS3 } from '@/server/storage/embedded';
import { ObjectStore } from '@/server/storage/object-store';
import type { StorageSettings } from '@/server/storage/settings';

declare module 'vitest' {
  export interface ProvidedContext { s3: StorageSettings & { dir: string } }
}

/** Starts the server, creates the bucket, provides the settings; returns the teardown. */
export async function startTestS3(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(path.resolve('.test-data'), 's3-'));
  const s3 = await startEmbeddedS3({ dir, port: 0 });
  const settings: StorageSettings = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket: 'switchyard-test', region: 'us-east-1' };
  await new ObjectStore(settings).ensureBucket();
  project.provide('s3', { ...settings, dir });
  return async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  };
}

/** The same settings as S3_* variables, for a child process such as the product server. */
export function s3Env(s: StorageSettings): Record<string, string> {
  return { S3_ENDPOINT: s.endpoint, S3_ACCESS_KEY: s.accessKey, S3_SECRET_KEY: s.secretKey, S3_BUCKET: s.bucket, S3_REGION: s.region };
}
