// Start-up: use the configured S3 server, or start the embedded one under the data dir; make sure the bucket exists.
import path from 'node:path';
import type { Config } from '@/server/config';
import { logger } from '@/server/logger';
import { objectStore, setStorageSettings, type StorageSettings } from './settings';

export async function startObjectStorage(config: Config, dataDir: string): Promise<{ settings: StorageSettings; close(): Promise<void> }> {
  const common = { bucket: config.S3_BUCKET, region: config.S3_REGION };
  let settings: StorageSettings;
  let close = async () => {};
  if (config.S3_ENDPOINT && config.S3_ACCESS_KEY && config.S3_SECRET_KEY) {
    settings = { endpoint: config.S3_ENDPOINT.replace(/\/$/, ''), accessKey: config.S3_ACCESS_KEY, secretKey: config.S3_SECRET_KEY, ...common };
  } else {
    const dir = path.join(dataDir, 's3');
    // Loaded only here: the product's request handlers never need the server itself.
    const { startEmbeddedS3 } = await import('./embedded');
    const s3 = await startEmbeddedS3({ dir, port: config.SWITCHYARD_S3_PORT });
    logger.info({ dir, endpoint: s3.endpoint }, 'started the embedded S3 server (set S3_ENDPOINT to use MinIO or S3)');
    settings = { endpoint: s3.endpoint, accessKey: s3.accessKey, secretKey: s3.secretKey, ...common };
    close = s3.close;
  }
  setStorageSettings(settings);
  try {
    await objectStore().ensureBucket();
  } catch (err) {
    await close();
    throw err;
  }
  logger.info({ endpoint: settings.endpoint, bucket: settings.bucket }, 'object storage is ready');
  return { settings, close };
}
