import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '@/server/http/api-error';
import { csvCell } from '@/server/services/audit-export';
import { baseUrl } from '../helpers/http';
import { buildWorld, type World } from './support/world';

// GET /api/v1/tenants/{tenantId}/audit/export: the same entries as the audit list, as CSV or JSON Lines, with the
// list's filters and its access rule.

interface Entry { id: number; action: string; actorLabel: string; userAgent: string | null; occurredAt: string; hash: string; changes: unknown; result: string }

let world: World;
const HOSTILE_AGENT = '=HYPERLINK("http://evil.test","click"), "quoted"';

async function get(path: string, bearer: string) {
  return fetch(`${baseUrl()}/api/v1${path}`, { headers: { authorization: `Bearer ${bearer}` } });
}

async function listAll(query = ''): Promise<Entry[]> {
  const res = await get(`/tenants/${world.tenantId}/audit?limit=500${query}`, world.tokenSecret);
  expect(res.status).toBe(200);
  return ((await res.json()) as Entry[]).reverse(); // the list is newest first, exports oldest first
}

/** A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  expect(field, 'the file ends with a line break').toBe('');
  return rows;
}

beforeAll(async () => {
  world = await buildWorld('export');
  // A site created with a hostile user agent: the audit entry stores it, the export must make it inert.
  const res = await fetch(`${baseUrl()}/api/v1/tenants/${world.tenantId}/sites`, {
    method: 'POST', body: JSON.stringify({ slug: 'csv-plant', name: 'Plant, "quoted" =1+1' }),
    headers: { authorization: `Bearer ${world.tokenSecret}`, 'content-type': 'application/json', 'user-agent': HOSTILE_AGENT },
  });
  expect(res.status).toBe(200);
});

describe('CSV cells', () => {
  it('quote what needs quoting and defuse every formula lead character', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`)).toMatch(/^"?'/);
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-11-30T08:00:00Z'))).toBe('2026-11-30T08:00:00.000Z');
    expect(csvCell({ a: '=x' })).toBe('"{""a"":""=x""}"');
  });
});

describe('audit export', () => {
  it('CSV: a header row, then the same entries as the list, quoted and formula-safe, as an attachment', async () => {
    const res = await get(`/tenants/${world.tenantId}/audit/export?format=csv`, world.tokenSecret);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="audit-${world.tenantId}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual(['id', 'occurredAt', 'actorType', 'actorId', 'actorLabel', 'action', 'resourceType', 'resourceId', 'result', 'sourceIp', 'userAgent', 'requestId', 'changes', 'prevHash', 'hash']);
    const list = await listAll();
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => Number(r[col('id')]))).toEqual(list.map((e) => e.id));
    expect(rows.map((r) => r[col('hash')])).toEqual(list.map((e) => e.hash));
    expect(rows.map((r) => r[col('occurredAt')])).toEqual(list.map((e) => new Date(e.occurredAt).toISOString()));
    expect(rows.at(-1)![col('action')]).toBe('audit.export'); // the export audits itself before streaming
    const created = rows.find((r) => r[col('action')] === 'site.create' && r[col('changes')]!.includes('csv-plant'))!;
    expect(created[col('userAgent')]).toBe(`'${HOSTILE_AGENT}`);
    expect(JSON.parse(created[col('changes')]!)).toMatchObject({ name: 'Plant, "quoted" =1+1' });
  });

  it('JSON Lines: one entry per line, equal to the list\'s entries', async () => {
    const res = await get(`/tenants/${world.tenantId}/audit/export?format=jsonl`, world.tokenSecret);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Entry & { tenantId?: string });
    const list = await listAll();
    expect(lines.map((l) => l.id)).toEqual(list.map((e) => e.id));
    for (const [i, line] of lines.entries()) {
      expect(line).toEqual(expect.objectContaining({ action: list[i]!.action, hash: list[i]!.hash, changes: list[i]!.changes, userAgent: list[i]!.userAgent }));
      expect(line.occurredAt).toBe(new Date(list[i]!.occurredAt).toISOString());
    }
  });

  it('applies the list\'s filters (action prefix, result, time range)', async () => {
    const sites = (await (await get(`/tenants/${world.tenantId}/audit/export?format=jsonl&action=site.`, world.tokenSecret)).text()).trimEnd().split('\n').map((l) => JSON.parse(l) as Entry);
    expect(sites.length).toBeGreaterThanOrEqual(3);
    expect(sites.every((e) => e.action.startsWith('site.'))).toBe(true);
    expect(sites.map((e) => e.id)).toEqual((await listAll('&action=site.')).map((e) => e.id));
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const none = await get(`/tenants/${world.tenantId}/audit/export?format=csv&from=${encodeURIComponent(future)}`, world.tokenSecret);
    expect(parseCsv(await none.text())).toHaveLength(1); // header only
    const denied = await (await get(`/tenants/${world.tenantId}/audit/export?format=jsonl&result=denied`, world.tokenSecret)).text();
    expect(denied.split('\n').filter(Boolean).every((l) => (JSON.parse(l) as Entry).result === 'denied')).toBe(true);
  });

  it('refuses an unknown format or a bad filter with 400 in the error shape', async () => {
    for (const [query, field] of [['format=xlsx', 'format'], ['', 'format'], ['format=csv&from=yesterday', 'from'], ['format=csv&result=maybe', 'result']] as const) {
      const res = await get(`/tenants/${world.tenantId}/audit/export?${query}`, world.tokenSecret);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as ApiErrorBody;
      expect(body.error.code).toBe('BAD_REQUEST');
      expect(Object.keys(body.error.fieldErrors ?? {}), query).toEqual([field]);
      expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  it('is authorised like audit.list: 401 without a token, 404 for another tenant\'s token, 403 without audit:read', async () => {
    const path = `/tenants/${world.tenantId}/audit/export?format=csv`;
    expect((await fetch(`${baseUrl()}/api/v1${path}`)).status).toBe(401);
    const other = await buildWorld('export-other');
    const foreign = await get(path, other.tokenSecret);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as ApiErrorBody).error.code).toBe('NOT_FOUND');
    const member = await world.ownerCaller.tokens.create({ tenantId: world.tenantId, name: 'no-audit', role: 'member' });
    const refused = await get(path, member.token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ApiErrorBody).error.message).toContain('audit:read');
  });
});
