import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PathError, validateRelativeSpecPath, windowsReservedName } from './index';

function refusal(run: () => unknown): PathError {
  try {
    run();
  } catch (error) {
    if (error instanceof PathError) return error;
    throw error;
  }
  throw new Error('expected a PathError');
}

describe('validateRelativeSpecPath accepts plain project paths', () => {
  it('normalizes separators, dots and trailing slashes', () => {
    expect(validateRelativeSpecPath('modules', 'modules/vendor.modl')).toBe('modules/vendor.modl');
    expect(validateRelativeSpecPath('modules', './modules//vendor.modl')).toBe('modules/vendor.modl');
    expect(validateRelativeSpecPath('modules', 'modules\\vendor.modl')).toBe('modules/vendor.modl');
    expect(validateRelativeSpecPath('jdbc', 'jdbc/')).toBe('jdbc');
    expect(validateRelativeSpecPath('backups', 'a/../backups/x.gwbk')).toBe('backups/x.gwbk');
    expect(validateRelativeSpecPath('licenses', 'licenses/console.txt')).toBe('licenses/console.txt');
  });
});

describe('validateRelativeSpecPath refuses', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['UNC', '\\\\server\\share\\x.modl', /UNC/],
    ['forward-slash UNC', '//server/share/x', /UNC/],
    ['device prefix', '\\\\?\\C:\\x', /UNC/],
    ['escape', '../outside.modl', /climbs out/],
    ['escape after normalizing', 'modules/../../etc/passwd', /climbs out/],
    ['escape with backslashes', 'modules\\..\\..\\x', /climbs out/],
    ['absolute posix', '/etc/passwd', /relative/],
    ['absolute windows', 'C:\\Users\\x', /relative/],
    ['drive relative', 'C:x', /relative/],
    ['NUL byte', 'modules/a\u0000.modl', /NUL/],
    ['newline', 'modules/a\n.modl', /line break/],
    ['carriage return', 'modules/a\r', /line break/],
    ['tab', 'modules/a\tb', /control/],
    ['reserved CON', 'modules/CON', /reserved Windows device name CON/],
    ['reserved lowercase with extension', 'jdbc/nul.jar', /NUL/],
    ['reserved COM9 as folder', 'com9/driver.jar', /COM9/],
    ['reserved LPT1 with trailing dot', 'lpt1./x', /LPT1/],
    ['reserved with trailing space', 'aux .txt', /AUX/],
    ['colon', 'modules/a:b.modl', /":"/],
    ['empty', '', /empty/],
    ['blank', '   ', /empty/],
    ['root itself', './', /project root itself/],
    ['long component', `modules/${'a'.repeat(256)}`, /255 bytes/],
    ['long multibyte component', `modules/${'é'.repeat(128)}`, /255 bytes/],
    ['long total', Array.from({ length: 20 }, () => 'b'.repeat(250)).join('/'), /4096 bytes/],
  ];

  it.each(cases)('%s', (_label, value, reason) => {
    const error = refusal(() => validateRelativeSpecPath('spec.modules[0]', value));
    expect(error.field).toBe('spec.modules[0]');
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain('spec.modules[0]');
  });

  it('keeps the printed value free of raw control characters', () => {
    const error = refusal(() => validateRelativeSpecPath('f', 'evil\nINFO fake log line'));
    expect(error.value).toBe('evil\\nINFO fake log line');
    expect(error.message).not.toContain('\n');
  });

  it('applies MAX_PATH only for Windows without long paths', () => {
    const path = `${'d/'.repeat(130)}x`; // 261 characters
    expect(validateRelativeSpecPath('f', path)).toBe(path);
    expect(refusal(() => validateRelativeSpecPath('f', path, { windows: true })).reason).toMatch(/Windows limit/);
    expect(validateRelativeSpecPath('f', path, { windows: true, longPaths: true })).toBe(path);
    const justUnder = `${'x'.repeat(200)}/${'y'.repeat(58)}`; // 259 characters
    expect(validateRelativeSpecPath('f', justUnder, { windows: true })).toBe(justUnder);
  });
});

describe('windowsReservedName', () => {
  it('matches device names in any case, with or without extension', () => {
    for (const name of ['CON', 'con', 'Prn.txt', 'aux.tar.gz', 'NUL', 'com1', 'COM9.log', 'lpt9', 'COM¹']) {
      expect(windowsReservedName(name), name).toBeDefined();
    }
    for (const name of ['CONSOLE', 'com0', 'com10', 'lpt', 'nullable.txt', 'aux_data', 'xcon']) {
      expect(windowsReservedName(name), name).toBeUndefined();
    }
  });
});

describe('property: accepted relative paths never escape their root', () => {
  const segment = fc.oneof(
    fc.constantFrom('..', '.', '', 'modules', 'a', 'b.modl', '...', '..a', 'a..'),
    fc.string({ maxLength: 12 }),
  );
  const candidate = fc
    .tuple(fc.array(segment, { maxLength: 10 }), fc.constantFrom('/', '\\'))
    .map(([parts, separator]) => parts.join(separator));

  it('resolves inside /root for every accepted input', () => {
    fc.assert(
      fc.property(candidate, (value) => {
        let normalized: string;
        try {
          normalized = validateRelativeSpecPath('f', value);
        } catch (error) {
          expect(error).toBeInstanceOf(PathError);
          return;
        }
        const resolved = posix.resolve('/root', normalized);
        expect(resolved.startsWith('/root/')).toBe(true);
        expect(normalized.split('/')).not.toContain('..');
      }),
      { numRuns: 2000 },
    );
  });
});
