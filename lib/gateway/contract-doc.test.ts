import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGeneratedSections, variableTable } from './contract-doc';
import { IGNITION_VARIABLES } from './contract-table';

const docPath = join(import.meta.dirname, '../../docs/gateway-contract.md');

describe('docs/gateway-contract.md', () => {
  it('matches what scripts/gen-docs.ts generates from the code (run it after changing the table)', () => {
    const committed = readFileSync(docPath, 'utf8');
    expect(renderGeneratedSections(committed)).toBe(committed);
  });

  it('would notice an edited table', () => {
    const committed = readFileSync(docPath, 'utf8');
    const edited = committed.replace('| `ACCEPT_MODULE_LICENSES` | 8.3.0 |', '| `ACCEPT_MODULE_LICENSES` | 8.1.0 |');
    expect(edited).not.toBe(committed);
    expect(renderGeneratedSections(edited)).toBe(committed);
  });

  it('lists every variable with its first version, secrets as _FILE', () => {
    const table = variableTable();
    for (const entry of IGNITION_VARIABLES) expect(table).toContain(`| \`${entry.name}\` | ${entry.since} |`);
    expect(table).toContain('`GATEWAY_ENCODING_KEY_FILE` from `secrets.encodingKey`');
  });

  it('refuses a document without the markers', () => {
    expect(() => renderGeneratedSections('# no markers')).toThrow(/no "<!-- generated:variables/);
  });
});
