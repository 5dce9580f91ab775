import { request } from 'node:http';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApiErrorBody } from '@/server/http/api-error';
import { makeUser, unique } from '../helpers/db';
import { baseUrl, signInCookie } from '../helpers/http';

// The REST API over real HTTP: the operator creates a tenant, its owner makes a token through the session, and the
// token does site CRUD. Errors are checked for status, shape and the words a person reads.

type Auth = { cookie: string } | { bearer: string } | null;

async function rest(method: string, path: string, auth: Auth, body?: unknown, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extraHeaders };
  if (auth && 'cookie' in auth) headers.cookie = auth.cookie;
  if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl()}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> & ApiErrorBody };
}

function expectError(res: Awaited<ReturnType<typeof rest>>, status: number, code: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(Object.keys(res.json)).toEqual(['error']);
  expect(res.json.error.code).toBe(code);
  expect(res.json.error.message.length).toBeGreaterThan(10);
  expect(res.json.error.requestId).toBe(res.headers.get('x-request-id'));
}

let operator: Auth;
let owner: Auth;
let tenantId: string;
let token: string;
let tokenId: string;

beforeAll(async () => {
  operator = { cookie: await signInCookie(inject('operatorEmail'), inject('operatorPassword')) };
  const ownerUser = await makeUser({ name: 'REST owner' });
  const created = await rest('POST', '/platform/tenants', operator, { slug: unique('rest'), name: 'REST tenant', ownerEmail: ownerUser.email });
  expect(created.status, JSON.stringify(created.json)).toBe(200);
  tenantId = created.json.id as string;
  owner = { cookie: await signInCookie(ownerUser.email, ownerUser.password) };
  const minted = await rest('POST', `/tenants/${tenantId}/tokens`, owner, { name: 'ci', role: 'admin' });
  expect(minted.status, JSON.stringify(minted.json)).toBe(200);
  token = minted.json.token as string;
  tokenId = (minted.json.summary as { id: string }).id;
});

describe('REST with an API token', () => {
  it('creates, lists, reads, updates and deletes a site', async () => {
    const bearer = { bearer: token };
    const created = await rest('POST', `/tenants/${tenantId}/sites`, bearer, { slug: 'north-plant', name: 'North plant' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ tenantId, slug: 'north-plant', name: 'North plant', description: '' });
    const siteId = created.json.id as string;

    const listed = await rest('GET', `/tenants/${tenantId}/sites`, bearer);
    expect((listed.json as unknown as { id: string }[]).map((s) => s.id)).toContain(siteId);
    expect((await rest('GET', `/tenants/${tenantId}/sites/${siteId}`, bearer)).json).toMatchObject({ id: siteId, name: 'North plant' });

    const updated = await rest('PATCH', `/tenants/${tenantId}/sites/${siteId}`, bearer, { name: 'North plant (line 2)', description: 'Packaging' });
    expect(updated.json).toMatchObject({ id: siteId, name: 'North plant (line 2)', description: 'Packaging', slug: 'north-plant' });

    expect((await rest('DELETE', `/tenants/${tenantId}/sites/${siteId}`, bearer)).json).toEqual({ ok: true });
    expectError(await rest('GET', `/tenants/${tenantId}/sites/${siteId}`, bearer), 404, 'NOT_FOUND');
  });

  it('names the caller: a token is a token of its tenant', async () => {
    const me = await rest('GET', '/me', { bearer: token });
    expect(me.json).toMatchObject({ type: 'token', label: 'ci', tenantId, isPlatformAdmin: false });
  });

  it('a revoked token gets 401 at once, in the one error shape', async () => {
    const second = await rest('POST', `/tenants/${tenantId}/tokens`, owner, { name: 'short-lived', role: 'member' });
    const secret = second.json.token as string;
    expect((await rest('GET', `/tenants/${tenantId}/sites`, { bearer: secret })).status).toBe(200);
    const revoked = await rest('DELETE', `/tenants/${tenantId}/tokens/${(second.json.summary as { id: string }).id}`, owner);
    expect(revoked.json.revokedAt).toBeTruthy();
    const refused = await rest('GET', `/tenants/${tenantId}/sites`, { bearer: secret });
    expectError(refused, 401, 'UNAUTHORIZED');
    expect(refused.json.error.message).toContain('Bearer');
    expect(JSON.stringify(refused.json)).not.toContain(secret);
    // The server had just seen this token: routes outside a tenant refuse it at once too.
    expectError(await rest('GET', '/me', { bearer: secret }), 401, 'UNAUTHORIZED');
    // The first token is untouched.
    expect(tokenId).not.toBe((second.json.summary as { id: string }).id);
    expect((await rest('GET', `/tenants/${tenantId}/sites`, { bearer: token })).status).toBe(200);
  });

  it('a made-up or malformed bearer token gets 401, never the session behind it', async () => {
    expectError(await rest('GET', `/tenants/${tenantId}/sites`, { bearer: 'sy_not-a-real-token' }), 401, 'UNAUTHORIZED');
    const both = await rest('GET', `/tenants/${tenantId}/sites`, owner, undefined, { authorization: 'Bearer sy_forged' });
    expectError(both, 401, 'UNAUTHORIZED');
    expectError(await rest('GET', `/tenants/${tenantId}/sites`, null), 401, 'UNAUTHORIZED');
  });
});

describe('REST errors', () => {
  const bearer = () => ({ bearer: token });

  it('bad input: 400 with a field error per field, in words', async () => {
    const res = await rest('POST', `/tenants/${tenantId}/sites`, bearer(), { slug: 'Not A Slug!', name: '   ' });
    expectError(res, 400, 'BAD_REQUEST');
    expect(Object.keys(res.json.error.fieldErrors ?? {}).sort()).toEqual(['name', 'slug']);
    expect(res.json.error.fieldErrors?.name).toEqual(['Name is required']);
    expect(res.json.error.message).toMatch(/^Some fields are not valid\. .*name: Name is required/);
    expect(res.json.error.message).not.toContain('"code"'); // no JSON dump of zod issues
  });

  it('a malformed id in the path is a 400 naming the parameter', async () => {
    const res = await rest('GET', `/tenants/${tenantId}/sites/not-a-uuid`, bearer());
    expectError(res, 400, 'BAD_REQUEST');
    expect(res.json.error.fieldErrors).toEqual({ siteId: ['siteId must be a UUID'] });
  });

  it('a duplicate slug is a 409 on the slug field', async () => {
    await rest('POST', `/tenants/${tenantId}/sites`, bearer(), { slug: 'twin-plant', name: 'Twin' });
    const res = await rest('POST', `/tenants/${tenantId}/sites`, bearer(), { slug: 'twin-plant', name: 'Twin again' });
    expectError(res, 409, 'CONFLICT');
    expect(res.json.error.fieldErrors?.slug?.[0]).toContain('twin-plant');
  });

  it('a body that is not JSON, or not declared as JSON, is refused before any work', async () => {
    const broken = await fetch(`${baseUrl()}/api/v1/tenants/${tenantId}/sites`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"slug": ',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ApiErrorBody).error.code).toBe('PARSE_ERROR');
    const plain = await fetch(`${baseUrl()}/api/v1/tenants/${tenantId}/sites`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: 'slug=x',
    });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as ApiErrorBody).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body is a 413 without being read whole', async () => {
    const res = await rest('POST', `/tenants/${tenantId}/sites`, bearer(), { slug: 'big', name: 'Big', description: 'x'.repeat(200_000) });
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an oversized body sent in chunks, without a length, is a 413 once past the limit, and nothing is written', async () => {
    const answer = await new Promise<{ status: number; connection?: string; text: string }>((resolve, reject) => {
      const req = request(`${baseUrl()}/api/v1/tenants/${tenantId}/sites`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => { text += d; });
        res.once('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
      });
      req.once('error', reject);
      // A chunk at a time on later turns of the event loop, so the limit is crossed mid-stream, never at once.
      let sent = 0;
      req.write('{"slug":"chunked","name":"Chunked","description":"');
      const more = setInterval(() => {
        if (sent >= 400_000 || req.destroyed) return void clearInterval(more);
        req.write('x'.repeat(10_000));
        sent += 10_000;
      }, 2);
      req.once('response', () => clearInterval(more));
    });
    expect(answer.status, answer.text).toBe(413);
    expect(answer.connection).toBe('close');
    expect((JSON.parse(answer.text) as ApiErrorBody).error.code).toBe('PAYLOAD_TOO_LARGE');
    const listed = await rest('GET', `/tenants/${tenantId}/sites`, bearer());
    expect((listed.json as unknown as { slug: string }[]).map((s) => s.slug)).not.toContain('chunked');
  });

  it('an unknown route is a 404 in the same shape; the caller\'s request id is echoed', async () => {
    const res = await rest('GET', '/no/such/route', bearer(), undefined, { 'x-request-id': 'client-trace-7' });
    expectError(res, 404, 'NOT_FOUND');
    expect(res.json.error.requestId).toBe('client-trace-7');
  });

  it('a refusal inside a tenant: a member token cannot create sites (403, audited as denied)', async () => {
    const member = await rest('POST', `/tenants/${tenantId}/tokens`, owner, { name: 'reader', role: 'member' });
    const res = await rest('POST', `/tenants/${tenantId}/sites`, { bearer: member.json.token as string }, { slug: 'nope', name: 'Nope' });
    expectError(res, 403, 'FORBIDDEN');
    expect(res.json.error.message).toContain('site:manage');
    const denied = await rest('GET', `/tenants/${tenantId}/audit?result=denied`, { bearer: token });
    expect((denied.json as unknown as { requestId: string }[]).map((e) => e.requestId)).toContain(res.json.error.requestId);
  });

  it('the platform operator creates tenants over REST but a bad owner email is a field error', async () => {
    const res = await rest('POST', '/platform/tenants', operator, { slug: unique('rest'), name: 'X', ownerEmail: 'nobody-here@example.test' });
    expectError(res, 400, 'BAD_REQUEST');
    expect(res.json.error.fieldErrors?.ownerEmail?.[0]).toContain('nobody-here@example.test');
    expectError(await rest('POST', '/platform/tenants', { bearer: token }, { slug: unique('rest'), name: 'X', ownerEmail: 'a@b.test' }), 403, 'FORBIDDEN');
  });
});
