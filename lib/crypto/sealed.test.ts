import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seal, SealError, unseal } from './sealed';

describe('sealed secrets', () => {
  const key = randomBytes(32);

  it('opens what it sealed, and never seals the same value the same way twice', () => {
    const a = seal('hunter2-admin', key);
    expect(unseal(a, key)).toBe('hunter2-admin');
    expect(seal('hunter2-admin', key)).not.toBe(a);
    expect(a).not.toContain('hunter2');
  });

  it('refuses another key, an altered byte, a malformed value and a short key', () => {
    const sealed = seal('secret', key);
    expect(() => unseal(sealed, randomBytes(32))).toThrow(SealError);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => unseal([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), key)).toThrow(/altered/);
    expect(() => unseal('plain text', key)).toThrow(/not a sealed value/);
    expect(() => seal('x', randomBytes(16))).toThrow(/32 bytes/);
  });
});
