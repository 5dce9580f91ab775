import { describe, expect, it } from 'vitest';
import { VersionCheckedCache } from './version-checked-cache';

describe('VersionCheckedCache', () => {
  it('serves a value only while the version it was stored with is current', () => {
    const cache = new VersionCheckedCache<string, string>({ maxEntries: 10, ttlMs: 60_000 });
    cache.set('sites', 7, 'seven sites');
    expect(cache.get('sites', 7)).toBe('seven sites');
    expect(cache.get('sites', 8)).toBeUndefined();
    // A stale entry is dropped, not kept for a version that can never come back.
    expect(cache.size).toBe(0);
    expect(cache.get('sites', 7)).toBeUndefined();
  });

  it('keys are separate: one key at a new version leaves the others alone', () => {
    const cache = new VersionCheckedCache<string, number>({ maxEntries: 10, ttlMs: 60_000 });
    cache.set('a', 1, 10);
    cache.set('b', 2, 20);
    expect([cache.get('a', 1), cache.get('b', 2)]).toEqual([10, 20]);
    cache.set('a', 3, 30);
    expect([cache.get('a', 3), cache.get('b', 2)]).toEqual([30, 20]);
  });

  it('honours a lapse time of the value itself, and the idle time limit', () => {
    let now = 1_000;
    const cache = new VersionCheckedCache<string, string>({ maxEntries: 10, ttlMs: 5_000, now: () => now });
    cache.set('token-bound', 1, 'x', 1_500);
    cache.set('open-ended', 1, 'y');
    now = 1_499;
    expect(cache.get('token-bound', 1)).toBe('x');
    now = 1_500;
    expect(cache.get('token-bound', 1)).toBeUndefined();
    expect(cache.get('open-ended', 1)).toBe('y');
    now = 6_000;
    expect(cache.get('open-ended', 1)).toBeUndefined();
  });

  it('does not store a value that has already lapsed', () => {
    const cache = new VersionCheckedCache<string, string>({ maxEntries: 10, ttlMs: 5_000, now: () => 2_000 });
    cache.set('late', 1, 'x', 2_000);
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries', () => {
    const cache = new VersionCheckedCache<number, number>({ maxEntries: 3, ttlMs: 60_000 });
    for (let i = 0; i < 10; i++) cache.set(i, 1, i);
    expect(cache.size).toBe(3);
    expect([cache.get(0, 1), cache.get(9, 1)]).toEqual([undefined, 9]);
  });
});
