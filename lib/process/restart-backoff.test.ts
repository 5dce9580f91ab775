import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  const opts = { initialMs: 1_000, maxMs: 8_000, stableAfterMs: 30_000 };

  it('doubles the delay while the process keeps dying soon after it starts, up to the maximum', () => {
    const backoff = new RestartBackoff(opts);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next(500))).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  });

  it('starts again from the initial delay once a process has run long enough', () => {
    const backoff = new RestartBackoff(opts);
    backoff.next(500);
    backoff.next(500);
    expect(backoff.next(29_999)).toBe(4_000);
    expect(backoff.next(30_000)).toBe(1_000);
    expect(backoff.next(100)).toBe(2_000);
  });
});
