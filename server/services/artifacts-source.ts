import type { RandomAccessSource } from '@/lib/zip';
import type { ObjectStore } from '@/server/storage';

/** A stored object read by ranges, so inspecting a zip fetches its directory and the entries it needs, not the file. */
export function objectSource(store: ObjectStore, key: string, size: number): RandomAccessSource {
  return { size, read: (offset, length) => store.readRange(key, offset, length) };
}
