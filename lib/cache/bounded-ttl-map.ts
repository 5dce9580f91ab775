/**
 * A map whose entries lapse after `ttlMs` and which never holds more than `maxEntries` (the oldest go first).
 * For values that may be served a little stale because whoever uses them checks what matters afresh.
 */
export class BoundedTtlMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(private readonly opts: { maxEntries: number; ttlMs: number; now?: () => number }) {
    if (!(opts.maxEntries >= 1) || !(opts.ttlMs > 0)) throw new RangeError('maxEntries must be at least 1 and ttlMs above 0');
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key); // re-inserted last, so it is evicted last
    this.entries.set(key, { value, expiresAt: this.now() + this.opts.ttlMs });
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
