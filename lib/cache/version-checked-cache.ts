import { BoundedTtlMap } from './bounded-ttl-map';

interface Entry<V> { version: number; value: V; lapsesAt: number }

/**
 * Values kept with the version of the data they were computed from. One is handed back only while the version the
 * caller has just read is still that one, and before its own lapse time (say, the expiry of the token it was
 * computed for). The caller must read the version before computing a value, never after: a change that lands in
 * between then leaves the value newer than its version, which only costs a miss.
 */
export class VersionCheckedCache<K, V> {
  private readonly entries: BoundedTtlMap<K, Entry<V>>;
  private readonly now: () => number;

  constructor(opts: { maxEntries: number; ttlMs: number; now?: () => number }) {
    this.entries = new BoundedTtlMap(opts);
    this.now = opts.now ?? Date.now;
  }

  get(key: K, currentVersion: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version === currentVersion && entry.lapsesAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: K, version: number, value: V, lapsesAt = Number.POSITIVE_INFINITY): void {
    if (lapsesAt <= this.now()) return;
    this.entries.set(key, { version, value, lapsesAt });
  }

  get size(): number {
    return this.entries.size;
  }
}
