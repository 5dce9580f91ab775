import { describe, expect, it } from 'vitest';
import { parseCookieHeader } from './cookies';

describe('parseCookieHeader', () => {
  it('reads names and values, trimming spaces and quotes and decoding', () => {
    expect(parseCookieHeader('a=1; next-auth.session-token=abc.def ; q="x y"; enc=a%20b')).toEqual({ a: '1', 'next-auth.session-token': 'abc.def', q: 'x y', enc: 'a b' });
  });

  it('keeps the first of repeated names and skips parts without a name', () => {
    expect(parseCookieHeader('a=1; a=2; =3; junk; b=')).toEqual({ a: '1', b: '' });
  });

  it('keeps a value that is not valid percent-encoding as sent', () => {
    expect(parseCookieHeader('bad=%E0%A4%A')).toEqual({ bad: '%E0%A4%A' });
  });

  it('gives nothing for no header', () => {
    expect(parseCookieHeader(undefined)).toEqual({});
    expect(parseCookieHeader('')).toEqual({});
  });
});
