import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseUrl } from '../helpers/http';
import { listProcedures } from './support/procedures';
import { SAMPLE_INPUTS } from './support/sample-inputs';
import { tenantSnapshot, withoutDenied } from './support/snapshot';
import { buildWorld, ID_KEYS, idsOf, type Ids, type World } from './support/world';

// Walks the served OpenAPI document: it must be a sound OpenAPI 3.1 document, list every REST procedure, and every
// route it lists must answer as documented, including refusing tenant B's token on tenant A's ids with 404.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Operation { method: string; path: string; op: Json; procedure: string }

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
// Inputs for routes that are not tRPC procedures (see server/http/openapi.ts).
const EXTRA_INPUTS: Record<string, (ids: Ids) => Record<string, unknown>> = {
  'audit.export': ({ tenantId }) => ({ tenantId, format: 'csv' }),
};

let doc: Json;
let operations: Operation[];
let ajv: Ajv2020;
let a: World;
let b: World;

function operationsOf(document: Json): Operation[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m) => ({
    method: m.toUpperCase(), path, op: item[m] as Json, procedure: String(item[m].operationId).replace('-', '.'),
  })));
}

/** Calls one documented route: path parameters filled from `input`, the rest as query (GET, DELETE) or JSON body. */
async function call(o: Operation, input: Record<string, unknown>, bearer?: string) {
  const rest = { ...input };
  const path = o.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = String(rest[name]);
    delete rest[name];
    return encodeURIComponent(value);
  });
  const inQuery = o.method === 'GET' || o.method === 'DELETE';
  const query = inQuery ? `?${new URLSearchParams(rest as Record<string, string>)}` : '';
  const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
  if (!inQuery) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl()}/api/v1${path}${query}`, { method: o.method, headers, body: inQuery ? undefined : JSON.stringify(rest) });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) as Json : undefined;
  return { status: res.status, json, text };
}

function inputFor(o: Operation, ids: Ids): Record<string, unknown> {
  const build = SAMPLE_INPUTS[o.procedure] ?? EXTRA_INPUTS[o.procedure];
  if (build) return build(ids);
  const params = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(params.map((p) => [p, ids[p as keyof Ids] ?? randomUUID()]));
}

/** Validates `body` against the schema documented for `status`, resolving refs inside the document. */
function expectDocumented(o: Operation, status: number, body: unknown) {
  const pointer = `/paths/${o.path.replace(/~/g, '~0').replace(/\//g, '~1')}/${o.method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  expect(o.op.responses?.[status], `${o.method} ${o.path} documents ${status}`).toBeDefined();
  const validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
  expect(validate(body), `${o.method} ${o.path} ${status}: ${JSON.stringify(validate.errors)}`).toBe(true);
}

const randomIds = (): Ids => Object.fromEntries(ID_KEYS.map((k) => [k, randomUUID()])) as Ids;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const masked = (body: Json | undefined) => JSON.parse(JSON.stringify({ ...body?.error, requestId: '' }).replace(UUID, '<id>')) as Json;

beforeAll(async () => {
  doc = (await (await fetch(`${baseUrl()}/api/openapi.json`)).json()) as Json;
  operations = operationsOf(doc);
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  [a, b] = await Promise.all([buildWorld('walk-a'), buildWorld('walk-b')]);
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with a bearer scheme, and every path is sound', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Switchyard API', version: expect.any(String) });
    expect(doc.servers[0].url).toMatch(/^https?:\/\/.+\/api\/v1$/);
    expect(doc.components.securitySchemes.Authorization).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const o of operations) {
      const where = `${o.method} ${o.path}`;
      expect(o.path, where).toMatch(/^\/[\w/{}-]*$/);
      expect(o.op.operationId, where).toMatch(/^[\w-]+$/);
      expect(Object.keys(o.op.responses ?? {}).length, where).toBeGreaterThan(0);
      for (const status of Object.keys(o.op.responses)) expect(status, where).toMatch(/^([1-5]\d\d|default)$/);
      const declared = (o.op.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name).sort();
      const inPath = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(declared, `${where}: path parameters`).toEqual(inPath);
      for (const p of o.op.parameters ?? []) {
        expect(['path', 'query', 'header', 'cookie'], where).toContain(p.in);
        if (p.in === 'path') expect(p.required, `${where} ${p.name}`).toBe(true);
      }
      expect(o.op.security, where).toEqual([{ Authorization: [] }]);
    }
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
  });

  it('every schema in it compiles as JSON Schema 2020-12 (refs resolve)', () => {
    for (const o of operations) {
      for (const [status, response] of Object.entries(o.op.responses as Json)) {
        for (const type of Object.keys((response as Json).content ?? {})) {
          const pointer = `/paths/${o.path.replace(/\//g, '~1')}/${o.method.toLowerCase()}/responses/${status}/content/${type.replace(/\//g, '~1')}/schema`;
          expect(() => ajv.compile({ $ref: `openapi.json#${pointer}` }), `${o.method} ${o.path} ${status}`).not.toThrow();
        }
      }
    }
  });

  it('lists every procedure that has a REST route, and the audit export', () => {
    const rest = listProcedures().filter((p) => p.meta?.openapi).map((p) => p.path);
    expect(rest.length).toBeGreaterThanOrEqual(25);
    expect(operations.map((o) => o.procedure).sort()).toEqual([...rest, 'audit.export'].sort());
  });
});

describe('every documented route', () => {
  it('answers a caller without credentials with the documented 401, never 404', async () => {
    for (const o of operations) {
      const res = await call(o, inputFor(o, randomIds()));
      expect(res.status, `${o.method} ${o.path}`).toBe(401);
      expectDocumented(o, 401, res.json);
    }
    expect((await call({ method: 'GET', path: '/no-such-route', op: {}, procedure: '' }, {})).status).toBe(404);
  });

  it('answers reads with bodies that match the documented schema', async () => {
    for (const o of operations.filter((op) => op.method === 'GET')) {
      const res = await call(o, inputFor(o, idsOf(a)), a.tokenSecret);
      if (o.path.startsWith('/platform/')) {
        expect(res.status, `${o.path}: a token is no platform operator`).toBe(403);
        expectDocumented(o, 403, res.json);
      } else if (o.procedure === 'audit.export') {
        expect(res.status).toBe(200);
        expect(res.text.split('\r\n')[0]).toMatch(/^id,occurredAt,/);
      } else {
        expect(res.status, `${o.method} ${o.path}: ${res.text.slice(0, 300)}`).toBe(200);
        expectDocumented(o, 200, res.json);
      }
    }
  });
});

describe("tenant B's token on tenant A's ids", () => {
  it('gets 404 on every route that takes ids, the same answer as made-up ids, and nothing of A changes', async () => {
    const before = withoutDenied(await tenantSnapshot(a.tenantId));
    const idRoutes = operations.filter((o) => /\{\w+\}/.test(o.path));
    expect(idRoutes.length).toBeGreaterThanOrEqual(20);
    for (const o of idRoutes) {
      const foreign = await call(o, inputFor(o, idsOf(a)), b.tokenSecret);
      expect(foreign.status, `${o.method} ${o.path}: ${foreign.text.slice(0, 300)}`).toBe(404);
      expect(foreign.json?.error.code).toBe('NOT_FOUND');
      const madeUp = await call(o, inputFor(o, randomIds()), b.tokenSecret);
      expect(masked(foreign.json), `${o.method} ${o.path}: foreign and made-up ids must look alike`).toEqual(masked(madeUp.json));
    }
    expect(withoutDenied(await tenantSnapshot(a.tenantId))).toEqual(before);
  });
});

describe('/docs/api', () => {
  it('renders every route, grouped by tag, with the auth note and a curl example, without signing in', async () => {
    const res = await fetch(`${baseUrl()}/docs/api`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    const html = (await res.text()).replace(/<!-- -->/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(html).toContain('Switchyard API reference');
    expect(html).toContain('Authorization: Bearer $SWITCHYARD_TOKEN');
    expect(html).toContain('METRICS_TOKEN');
    for (const o of operations) expect(html, `${o.method} ${o.path}`).toContain(`/api/v1${o.path}`);
    for (const tag of ['sites', 'members', 'tokens', 'audit', 'platform']) expect(html).toContain(`id="tag-${tag}"`);
  });
});
