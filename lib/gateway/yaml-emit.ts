/**
 * A small YAML emitter for plain data (maps, lists, strings, numbers, booleans, null), written because Compose
 * rendering must be fast (the yaml package's general stringifier took most of a millisecond per file). Strings are
 * always double-quoted with JSON escapes, which YAML 1.2 reads as the same string, so no YAML 1.1 reader can turn
 * "no", "Y" or "08" into something else. Tests check the output against the yaml package, byte for byte.
 */

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;
// JSON leaves these raw, but YAML counts them as non-printable or as line breaks.
const UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

export function quote(text: string): string {
  return JSON.stringify(text).replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function key(text: string): string {
  return PLAIN_KEY.test(text) && !RESERVED.test(text) ? text : quote(text);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as YAML`);
    return String(value);
  }
  if (typeof value === 'boolean' || value === null) return String(value);
  throw new Error(`cannot write a ${typeof value} as YAML`);
}

type Node = unknown;

const isMap = (value: Node): value is Record<string, Node> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lines for a map's entries or a list's items at `indent` spaces. */
function block(value: Node, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isMap(item) && Object.keys(item).length > 0) {
        const inner: string[] = [];
        block(item, indent + 2, inner);
        out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
      } else if (Array.isArray(item) && item.length > 0) {
        throw new Error('lists of lists are not used in Compose files');
      } else {
        out.push(`${pad}- ${inline(item)}`);
      }
    }
    return;
  }
  for (const [name, child] of Object.entries(value as Record<string, Node>)) {
    if (child === undefined) continue;
    const nested = (isMap(child) && Object.keys(child).length > 0) || (Array.isArray(child) && child.length > 0);
    if (!nested) out.push(`${pad}${key(name)}: ${inline(child)}`);
    else {
      out.push(`${pad}${key(name)}:`);
      block(child, indent + 2, out);
    }
  }
}

function inline(value: Node): string {
  if (Array.isArray(value)) return '[]';
  if (isMap(value)) return '{}';
  return scalar(value);
}

/** A YAML document for a map, with an optional comment line on top. */
export function emitYaml(document: Record<string, Node>, comment?: string): string {
  const lines: string[] = comment === undefined ? [] : [`# ${comment}`, ''];
  if (Object.keys(document).length === 0) lines.push('{}');
  else block(document, 0, lines);
  return `${lines.join('\n')}\n`;
}
