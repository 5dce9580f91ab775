import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it.each([[0, '0 bytes'], [1023, '1023 bytes'], [1024, '1 KiB'], [1536, '1.5 KiB'], [512 * 1024 ** 2, '512 MiB'], [4 * 1024 ** 3, '4 GiB'], [1.25 * 1024 ** 4, '1.3 TiB']])('%d is %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
