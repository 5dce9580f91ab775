// Streaming 256 MiB up and down keeps this process' memory bounded: parts, never the whole file.
import { describe, expect, it } from 'vitest';
import { testObjectStore } from '@/tests/setup/storage';
import { generated, MiB, sha256Of, testPrefix } from './helpers';

const store = testObjectStore();

/** Runs `work` while sampling RSS; returns the peak growth over the starting RSS. */
async function rssGrowth(work: () => Promise<void>): Promise<number> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - start;
}

describe('memory', () => {
  it('uploads and downloads 256 MiB with RSS growth under 120 MiB', { timeout: 240_000 }, async () => {
    const key = `${testPrefix('memory')}large.bin`;
    const src = generated(256 * MiB, 3);
    const up = await rssGrowth(async () => {
      expect(await store.putStream(key, src.stream())).toEqual({ key, sha256: src.sha256, size: 256 * MiB });
    });
    const down = await rssGrowth(async () => {
      expect(await sha256Of(await store.getStream(key))).toEqual({ sha256: src.sha256, size: 256 * MiB });
    });
    await store.remove(key);
    expect(up / MiB).toBeLessThan(120);
    expect(down / MiB).toBeLessThan(120);
  });
});
