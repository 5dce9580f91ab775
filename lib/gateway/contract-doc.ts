/** The generated parts of docs/gateway-contract.md, rendered from the contract table in code. */
import { CONTAINER_ARGUMENTS, IGNITION_VARIABLES, OPTION_MINIMUM_VERSIONS } from './contract-table';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function variableTable(): string {
  const rows = IGNITION_VARIABLES.map((entry) => {
    const how = entry.secret ? `\`${entry.name}_FILE\` from \`${entry.field}\`` : entry.field ? `\`${entry.field}\`` : '`environment` only';
    return `| \`${entry.name}\` | ${entry.since} | ${how} | ${cell(entry.description)} |`;
  });
  return ['| variable | read from | set by | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

export function argumentTable(): string {
  const rows = CONTAINER_ARGUMENTS.map((entry) => `| \`${entry.argument}\` | \`${entry.field}\` | ${cell(entry.description)} |`);
  const options = Object.entries(OPTION_MINIMUM_VERSIONS).map(([field, since]) => `| \`${field}\` | ${since} |`);
  return [
    '| argument | spec field | meaning |', '|---|---|---|', ...rows,
    '', 'Options that are not variables but still need a minimum version:', '',
    '| spec field | from |', '|---|---|', ...options,
  ].join('\n');
}

const SECTIONS: Record<string, () => string> = { variables: variableTable, arguments: argumentTable };

/** Replaces each `<!-- generated:NAME -->` ... `<!-- end generated:NAME -->` block with fresh output. */
export function renderGeneratedSections(doc: string): string {
  let out = doc;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- generated:${name} (scripts/gen-docs.ts; do not edit) -->`;
    const end = `<!-- end generated:${name} -->`;
    const start = out.indexOf(begin);
    const stop = out.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`the document has no "${begin}" ... "${end}" block`);
    out = `${out.slice(0, start + begin.length)}\n${render()}\n${out.slice(stop)}`;
  }
  return out;
}
