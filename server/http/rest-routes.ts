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
}

type AnySchema = z.ZodType & { _zod: { def: { type: string; coerce?: boolean; [k: string]: unknown } } };

const COERCIBLE = new Set(['number', 'boolean', 'date', 'bigint']);
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  while (WRAPPERS.has(s._zod.def.type)) s = s._zod.def.innerType as AnySchema;
  return s;
}

/**
 * Query strings carry only text: numbers, booleans and dates in a query-string input are parsed from it.
 * Marks those leaves to coerce, as OpenAPI callers expect (`?limit=20`), and returns the fields that are lists.
 */
function prepareQueryInput(schema: AnySchema, arrayFields: Set<string>): void {
  const s = unwrap(schema);
  if (s._zod.def.type !== 'object') return;
  for (const [field, raw] of Object.entries(s._zod.def.shape as Record<string, AnySchema>)) {
    let leaf = unwrap(raw);
    if (leaf._zod.def.type === 'array') {
      arrayFields.add(field);
      leaf = unwrap(leaf._zod.def.element as AnySchema);
    }
    if (COERCIBLE.has(leaf._zod.def.type)) leaf._zod.def.coerce = true;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

export function restRoutes(procedures: Record<string, AnyProcedure>): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [procedurePath, procedure] of Object.entries(procedures)) {
    const def = procedure._def as unknown as { type: string; meta?: Meta; inputs: AnySchema[] };
    const openapi = def.meta?.openapi;
    if (!openapi || def.type === 'subscription') continue;
    const arrayFields = new Set<string>();
    if (openapi.method === 'GET' || openapi.method === 'DELETE') for (const input of def.inputs) prepareQueryInput(input, arrayFields);
    const template = openapi.path.replace(/\/+$/, '');
    const pattern = new RegExp(`^${REST_PREFIX}${escapeRegExp(template).replace(/\{([^/}]+)\}/g, '(?<$1>[^/]+)')}/?$`);
    routes.push({ method: openapi.method, template: `${REST_PREFIX}${template}`, pattern, procedurePath, type: def.type as RestRoute['type'], arrayFields });
  }
  // Fixed segments before placeholders, so /sites/new never reads as /sites/{siteId}.
  return routes.sort((a, b) => placeholders(a.template) - placeholders(b.template));
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
