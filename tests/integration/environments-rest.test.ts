import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLabelled } from '../docker/helpers/labelled';
import { makeTenant } from '../helpers/db';
import { baseUrl } from '../helpers/http';

// Environments over REST against the real product server, whose own in-process worker (started by scripts/start.ts)
// runs the jobs. The image is never on the host: the provision fails at its image step and is rolled back.

let t: Awaited<ReturnType<typeof makeTenant>>;
let token: string;
let root: string;

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${root}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One long poll: the job comes back once it has finished, within moments of its finishing. */
async function finished(path: string) {
  const { status, json } = await api('GET', `${path}?waitSeconds=60`);
  expect(status).toBe(200);
  if (!['succeeded', 'failed', 'rolled_back'].includes(json.status)) throw new Error(`${path} still ${json.status} after a 60 s wait: ${JSON.stringify(json.steps)}`);
  expect(Date.now() - Date.parse(json.finishedAt)).toBeLessThan(2_000);
  return json;
}

beforeAll(async () => {
  t = await makeTenant('envrest');
  const site = await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' });
  token = (await t.ownerCaller.tokens.create({ tenantId: t.tenant.id, name: 'ci', role: 'admin' })).token;
  root = `${baseUrl()}/api/v1/tenants/${t.tenant.id}/sites/${site.id}/environments`;
});

afterAll(() => removeLabelled(`io.switchyard.tenant=${t.tenant.slug}`));

describe('environments over REST, run by the server\'s own worker', () => {
  it('creates (the answer holds the password, once), runs the job, tears down with the options in the body', async () => {
    const spec = { version: '8.3.4', image: 'switchyard/not-pulled-rest:8.3.4', acceptEula: true, memory: '1GiB' };
    const created = await api('POST', '', { name: 'line-a', stage: 'prod', spec });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ adminPassword: expect.any(String), environment: { name: 'line-a', stage: 'prod', status: 'provisioning' } });

    const job = await finished('/line-a/jobs/1');
    expect(job).toMatchObject({ kind: 'provision', status: 'rolled_back', error: expect.stringContaining('switchyard/not-pulled-rest:8.3.4') });
    expect((await api('GET', '/line-a')).json).toMatchObject({ status: 'failed', latestJob: { number: 1 } });

    expect(await api('POST', '/line-a/teardown', { confirm: 'line-b' })).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST' } } });
    const tearing = await api('POST', '/line-a/teardown', { confirm: 'line-a', keepData: true });
    expect(tearing).toMatchObject({ status: 200, json: { status: 'tearing_down', latestJob: { kind: 'teardown', number: 2 } } });
    expect(await finished('/line-a/jobs/2')).toMatchObject({ status: 'succeeded' });
    expect((await api('GET', '?includeRemoved=true')).json).toEqual([expect.objectContaining({ name: 'line-a', status: 'removed' })]);
    // "false" in a query string is false, not a non-empty (truthy) text.
    expect((await api('GET', '?includeRemoved=false')).json).toEqual([]);
    expect(await api('GET', '?includeRemoved=no')).toMatchObject({ status: 400, json: { error: { fieldErrors: { includeRemoved: [expect.any(String)] } } } });
  });

  it('bad input over REST names the field; an admin token may not set quotas; a quota over REST answers 412', async () => {
    const small = await api('POST', '', { name: 'small', stage: 'dev', spec: { version: '8.3.4', acceptEula: true, memory: '256MiB' } });
    expect(small).toMatchObject({ status: 400, json: { error: { code: 'BAD_REQUEST', fieldErrors: { 'spec.memory': [expect.stringContaining('1024MiB')] } } } });
    const quotaRes = await fetch(`${baseUrl()}/api/v1/tenants/${t.tenant.id}/quota`, {
      method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ maxEnvironments: 0, maxCpus: 1, maxMemoryMib: 1024 }),
    });
    expect(quotaRes.status).toBe(403); // an admin token lacks billing:manage; the owner sets quotas
    await t.ownerCaller.environments.setQuota({ tenantId: t.tenant.id, maxEnvironments: 0, maxCpus: 1, maxMemoryMib: 1024 });
    const refused = await api('POST', '', { name: 'over', stage: 'dev', spec: { version: '8.3.4', acceptEula: true, memory: '1GiB' } });
    expect(refused).toMatchObject({ status: 412, json: { error: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('environments limit is 0, 0 in use') } } });
  });
});
