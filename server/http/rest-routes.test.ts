import { describe, expect, it } from 'vitest';
import { readQueryValue } from './rest-routes';

describe('readQueryValue', () => {
  it('reads only true and false as booleans', () => {
    expect([readQueryValue('boolean', 'true'), readQueryValue('boolean', 'false'), readQueryValue('boolean', 'no'), readQueryValue('boolean', '')]).toEqual([true, false, 'no', '']);
  });

  it('reads only numeric text as a number, an empty value stays empty text', () => {
    expect([readQueryValue('number', '20'), readQueryValue('number', '-1.5'), readQueryValue('number', ''), readQueryValue('number', '12abc')]).toEqual([20, -1.5, '', '12abc']);
  });

  it('reads dates and big integers, and leaves other text and untyped fields as text', () => {
    expect(readQueryValue('date', '2026-11-30T10:00:00Z')).toEqual(new Date('2026-11-30T10:00:00Z'));
    expect(readQueryValue('date', 'yesterday')).toBe('yesterday');
    expect([readQueryValue('bigint', '9007199254740993'), readQueryValue('bigint', '1.5')]).toEqual([9007199254740993n, '1.5']);
    expect(readQueryValue(undefined, 'true')).toBe('true');
  });
});
