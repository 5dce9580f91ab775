import { describe, expect, it } from 'vitest';
import { BoundedTtlMap } from './bounded-ttl-map';

describe('BoundedTtlMap', () => {
  it('serves an entry until its time is up, then forgets it', () => {
    let now = 1_000;
    const map = new BoundedTtlMap<string, number>({ maxEntries: 10, ttlMs: 500, now: () => now });
    map.set('a', 1);
    now += 499;
    expect(map.get('a')).toBe(1);
    now += 1;
    expect(map.get('a')).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the oldest written first', () => {
    const map = new BoundedTtlMap<string, number>({ maxEntries: 2, ttlMs: 60_000 });
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 3); // rewritten: now the newest
    map.set('c', 4);
    expect([map.get('a'), map.get('b'), map.get('c')]).toEqual([3, undefined, 4]);
    expect(map.size).toBe(2);
  });

  it('deletes on request and refuses nonsense limits', () => {
    const map = new BoundedTtlMap<string, number>({ maxEntries: 1, ttlMs: 1 });
    map.set('a', 1);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    expect(() => new BoundedTtlMap({ maxEntries: 0, ttlMs: 1 })).toThrow(RangeError);
    expect(() => new BoundedTtlMap({ maxEntries: 1, ttlMs: 0 })).toThrow(RangeError);
  });
});
