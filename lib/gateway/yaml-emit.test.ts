import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Document, parse } from 'yaml';
import { emitYaml, quote } from './yaml-emit';

// Keys the emitter writes plain, and values of the shapes Compose files hold.
const plainKey = fc.stringMatching(/^[a-z_][a-z0-9_.\/-]{0,12}$/).filter((key) => !/^(true|false|null|yes|no|on|off|y|n)$/i.test(key));
const anyKey = fc.oneof(plainKey, fc.string({ maxLength: 8 }));
const printable = fc.string({ unit: fc.constantFrom(...'aZ09 -_:#"\'\\/{}[],&*!|>%@`é€'.split('')), maxLength: 20 });

function data(key: fc.Arbitrary<string>, text: fc.Arbitrary<string>) {
  const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
  return fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('list')),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
    list: fc.array(fc.oneof(scalar, tie('map')), { maxLength: 4 }),
  })).map as fc.Arbitrary<Record<string, unknown>>;
}

const yamlLibrary = (value: Record<string, unknown>) =>
  new Document(value, { aliasDuplicateObjects: false }).toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });

describe('emitYaml', () => {
  it('writes what the yaml package writes, byte for byte, for plain keys and printable strings', () => {
    fc.assert(
      fc.property(data(plainKey, printable), (value) => {
        const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>; // -0 -> 0, as both write it
        expect(emitYaml(json)).toBe(yamlLibrary(json));
      }),
      { numRuns: 500 },
    );
  });

  it('reads back as the same data for any keys and strings', () => {
    fc.assert(
      fc.property(data(anyKey, fc.string({ unit: 'binary', maxLength: 12 })), (value) => {
        const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        expect(parse(emitYaml(json))).toEqual(json);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes every string, so YAML 1.1 words and numbers stay strings', () => {
    expect(emitYaml({ restart: 'no', eula: 'Y', port: '08', yes: true, '1x': 'x' })).toBe(
      'restart: "no"\neula: "Y"\nport: "08"\n"yes": true\n"1x": "x"\n',
    );
  });

  it('escapes characters YAML does not allow raw', () => {
    expect(quote('a\u0085b\u2028c\u007f')).toBe('"a\\u0085b\\u2028c\\u007f"');
    expect(parse(`v: ${quote('a\u0085b\u2028c\u007f\t"\\')}`)).toEqual({ v: 'a\u0085b\u2028c\u007f\t"\\' });
  });

  it('refuses values YAML cannot hold', () => {
    expect(() => emitYaml({ n: Number.NaN })).toThrow(/cannot write NaN/);
    expect(() => emitYaml({ f: () => 1 })).toThrow(/cannot write a function/);
    expect(() => emitYaml({ l: [[1]] })).toThrow(/lists of lists/);
  });

  it('puts the comment on top, followed by a blank line', () => {
    expect(emitYaml({ a: {} }, 'hello')).toBe('# hello\n\na: {}\n');
  });
});
