// Where object storage is: read from S3_* variables, or set by start-up after it started the embedded server.
import { parseS3Config } from '@/server/config';
import { ObjectStore } from './object-store';

export interface StorageSettings {
  /** Scheme, host and port, e.g. http://127.0.0.1:54330. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

const envNames = { endpoint: 'S3_ENDPOINT', accessKey: 'S3_ACCESS_KEY', secretKey: 'S3_SECRET_KEY', bucket: 'S3_BUCKET', region: 'S3_REGION' } as const;

let current: StorageSettings | undefined;
let store: ObjectStore | undefined;

/**
 * Makes `settings` the ones objectStore() uses. Mirrored into S3_* variables because the console's server
 * bundle loads its own copy of this module in the same process, and child processes inherit them.
 */
export function setStorageSettings(settings: StorageSettings): void {
  current = { ...settings };
  store = undefined;
  for (const [field, name] of Object.entries(envNames)) process.env[name] = settings[field as keyof StorageSettings];
  delete process.env.S3_USE_SSL; // the endpoint's scheme says it
}

/** The resolved settings; throws (naming the variables) when object storage is not configured. */
export function storageSettings(): StorageSettings {
  if (current) return current;
  const c = parseS3Config(process.env);
  if (!c.S3_ENDPOINT || !c.S3_ACCESS_KEY || !c.S3_SECRET_KEY) {
    throw new Error('object storage is not configured: set S3_ENDPOINT, S3_ACCESS_KEY and S3_SECRET_KEY, or start through `npm start`, which runs the embedded S3 server');
  }
  current = { endpoint: c.S3_ENDPOINT.replace(/\/$/, ''), accessKey: c.S3_ACCESS_KEY, secretKey: c.S3_SECRET_KEY, bucket: c.S3_BUCKET, region: c.S3_REGION };
  return current;
}

/** The process' object store over the resolved settings. */
export function objectStore(): ObjectStore {
  store ??= new ObjectStore(storageSettings());
  return store;
}
