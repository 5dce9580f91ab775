import type { OpenAPIObject } from 'trpc-to-openapi';

// A reading view of the OpenAPI document for the /docs/api page: operations grouped by tag, with parameters
// and request body fields described in words. Derived from the same document clients download.

type Json = Record<string, unknown>;

export interface FieldDoc { name: string; where: string; type: string; required: boolean; description?: string }
export interface OperationDoc { method: string; path: string; summary: string; operationId: string; secured: boolean; fields: FieldDoc[] }
export interface TagDoc { name: string; operations: OperationDoc[] }

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const asJson = (v: unknown): Json => (v && typeof v === 'object' ? v as Json : {});

/** "string (uuid)", "one of: csv, jsonl", "array of string", "integer 1..500", ... */
export function describeSchema(raw: unknown): string {
  const s = asJson(raw);
  if (Array.isArray(s.enum)) return `one of: ${s.enum.map(String).join(', ')}`;
  if (s.type === 'array') return `array of ${describeSchema(s.items)}`;
  if (Array.isArray(s.anyOf)) return s.anyOf.map(describeSchema).join(' or ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : typeof s.type === 'string' ? s.type : 'any';
  const notes = [
    typeof s.format === 'string' ? s.format : null,
    typeof s.minimum === 'number' || typeof s.maximum === 'number' ? `${s.minimum ?? ''}..${s.maximum ?? ''}` : null,
    typeof s.maxLength === 'number' ? `max ${s.maxLength} chars` : null,
    s.default !== undefined ? `default ${JSON.stringify(s.default)}` : null,
  ].filter(Boolean);
  return notes.length ? `${type} (${notes.join(', ')})` : type;
}

function parameterFields(op: Json): FieldDoc[] {
  const params = Array.isArray(op.parameters) ? op.parameters.map(asJson) : [];
  return params.map((p) => ({
    name: String(p.name), where: String(p.in), type: describeSchema(p.schema), required: p.required === true,
    description: typeof p.description === 'string' ? p.description : undefined,
  }));
}

function bodyFields(op: Json): FieldDoc[] {
  const schema = asJson(asJson(asJson(asJson(op.requestBody).content)['application/json']).schema);
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(asJson(schema.properties)).map(([name, prop]) => ({
    name, where: 'body', type: describeSchema(prop), required: required.has(name),
    description: typeof asJson(prop).description === 'string' ? String(asJson(prop).description) : undefined,
  }));
}

export function apiReference(doc: OpenAPIObject): TagDoc[] {
  const byTag = new Map<string, OperationDoc[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = asJson(asJson(item)[method]);
      if (!op.responses) continue;
      const tags = Array.isArray(op.tags) && op.tags.length ? op.tags.map(String) : ['other'];
      const entry: OperationDoc = {
        method: method.toUpperCase(), path, summary: typeof op.summary === 'string' ? op.summary : '',
        operationId: String(op.operationId ?? `${method}-${path}`),
        secured: Array.isArray(op.security) && op.security.length > 0,
        fields: [...parameterFields(op), ...bodyFields(op)],
      };
      for (const tag of tags) byTag.set(tag, [...(byTag.get(tag) ?? []), entry]);
    }
  }
  return [...byTag].map(([name, operations]) => ({ name, operations }));
}
