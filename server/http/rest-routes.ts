import type { AnyProcedure } from '@trpc/server';
import type { z } from 'zod';
import type { Meta } from '@/server/trpc';

export const REST_PREFIX = '/api/v1';

/** One REST route: the procedure behind it and how to read its path. Built once at start, not per request. */
export interface RestRoute {
  method: string;
  template: string;
  pattern: RegExp;
  procedurePath: string;
  type: 'query' | 'mutation';
  /** Input fields given as arrays, so a single `?field=x` still arrives as `['x']`. */
  arrayFields: Set<string>;
  /** Input fields that are numbers, booleans or dates, read from the query string's text (see readQueryValue). */
  typedFields: Map<string, QueryKind>;
}

type AnySchema = z.ZodType & { _zod: { def: { type: string; [k: string]: unknown } } };

type QueryKind = 'number' | 'boolean' | 'date' | 'bigint';
const QUERY_KINDS = new Set<string>(['number', 'boolean', 'date', 'bigint']);

/**
 * A query-string value as the type its field declares: only `true`/`false` are booleans (not any non-empty text),
 * only numeric text is a number. Anything else stays text, so the schema refuses it naming the field.
 */
export function readQueryValue(kind: QueryKind | undefined, text: string): unknown {
  switch (kind) {
    case 'boolean': return text === 'true' ? true : text === 'false' ? false : text;
    case 'number': return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
    case 'bigint': return /^-?\d+$/.test(text) ? BigInt(text) : text;
    case 'date': return Number.isNaN(Date.parse(text)) ? text : new Date(text);
    default: return text;
  }
}
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (WRAPPERS.has(s._zod.def.type)) s = s._zod.def.innerType as AnySchema;
  return s;
}

/** Which query fields are lists, and which are numbers, booleans or dates (the schema itself is left as it is). */
function describeQueryInput(schema: AnySchema, arrayFields: Set<string>, typedFields: Map<string, QueryKind>): void {
  const s = unwrap(schema);
  if (s._zod.def.type !== 'object') return;
  for (const [field, raw] of Object.entries(s._zod.def.shape as Record<string, AnySchema>)) {
    let leaf = unwrap(raw);
    if (leaf._zod.def.type === 'array') {
      arrayFields.add(field);
      leaf = unwrap(leaf._zod.def.element as AnySchema);
    }
    if (QUERY_KINDS.has(leaf._zod.def.type)) typedFields.set(field, leaf._zod.def.type as QueryKind);
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** A REST path template (`/tenants/{tenantId}/sites`) as a pattern over the full path, placeholders as named groups. */
export function templatePattern(template: string): RegExp {
  return new RegExp(`^${REST_PREFIX}${escapeRegExp(template.replace(/\/+$/, '')).replace(/\{([^/}]+)\}/g, '(?<$1>[^/]+)')}/?$`);
}

/** Templates with fixed segments first, so /sites/new never reads as /sites/{siteId}. */
export const byFixedSegmentsFirst = (a: { template: string }, b: { template: string }) => placeholders(a.template) - placeholders(b.template);

export function restRoutes(procedures: Record<string, AnyProcedure>): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [procedurePath, procedure] of Object.entries(procedures)) {
    const def = procedure._def as unknown as { type: string; meta?: Meta; inputs: AnySchema[] };
    const openapi = def.meta?.openapi;
    if (!openapi || def.type === 'subscription') continue;
    const arrayFields = new Set<string>();
    const typedFields = new Map<string, QueryKind>();
    if (openapi.method === 'GET' || openapi.method === 'DELETE') for (const input of def.inputs) describeQueryInput(input, arrayFields, typedFields);
    const template = openapi.path.replace(/\/+$/, '');
    routes.push({ method: openapi.method, template: `${REST_PREFIX}${template}`, pattern: templatePattern(template), procedurePath, type: def.type as RestRoute['type'], arrayFields, typedFields });
  }
  return routes.sort(byFixedSegmentsFirst);
}

const placeholders = (template: string) => (template.match(/\{/g) ?? []).length;

export function matchRestRoute(routes: RestRoute[], method: string, pathname: string): { route: RestRoute; pathInput: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    const pathInput: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) pathInput[k] = safeDecode(v);
    return { route, pathInput };
  }
  return null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
