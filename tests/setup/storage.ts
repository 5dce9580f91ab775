// For test files: the run's object store (started by the global setup), also what objectStore() returns.
import { inject } from 'vitest';
import type { ObjectStore } from '@/server/storage/object-store';
import { objectStore, setStorageSettings, type StorageSettings } from '@/server/storage/settings';

export function testStorageSettings(): StorageSettings {
  const { dir: _dir, ...settings } = inject('s3');
  return settings;
}

/** Points objectStore() at the test run's S3 server and returns it. */
export function testObjectStore(): ObjectStore {
  setStorageSettings(testStorageSettings());
  return objectStore();
}
