// Environment metrics on the product server's /api/metrics: environments of every tenant by status and stage,
// counted by environment_census() (counts only: the app role still reads no other tenant's rows), the reconciler's
// figures and the job metrics. Plus the reconciler's configuration refusing bad values.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@/db/client';
import { ENVIRONMENT_STAGES, ENVIRONMENT_STATUSES, environments } from '@/db/schema';
import { ConfigError, parseConfig } from '@/server/config';
import { startQueue } from '@/server/jobs/queue';
import { appDb, makeTenant, ownerDb } from '../helpers/db';
import { baseUrl } from '../helpers/http';
import { isolateEnvironmentConfig, removeDataDir } from './environments-fixture';

// A pair no other suite uses, so suites running alongside do not move it.
const STAGE = 'staging';
const STATUS = 'stopping';

async function scrape(): Promise<string> {
  const res = await fetch(`${baseUrl()}/api/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

const census = (text: string, status: string, stage: string) => {
  const line = new RegExp(`^switchyard_environments\\{status="${status}",stage="${stage}"\\} (\\d+)$`, 'm').exec(text);
  if (!line) throw new Error(`no switchyard_environments series for status=${status} stage=${stage}`);
  return Number(line[1]);
};

const spec = { version: '8.3.4', acceptEula: true, memory: '1GiB' };

async function createEnvironments(t: Awaited<ReturnType<typeof makeTenant>>, names: string[]): Promise<string[]> {
  const siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  const ids: string[] = [];
  for (const name of names) ids.push((await t.ownerCaller.environments.create({ tenantId: t.tenant.id, siteId, name, stage: STAGE, spec })).environment.id);
  // No worker takes this file's queue: the status is set here, as a job would.
  await withTenant(ownerDb().db, t.tenant.id, (tx) => tx.update(environments).set({ status: STATUS })
    .where(and(eq(environments.tenantId, t.tenant.id), inArray(environments.id, ids))));
  return ids;
}

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let before: number;
let aIds: string[];
let dataDir: string;

beforeAll(async () => {
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: '49000-49099' });
  // This file's queue exists (requests send to it) and no worker takes from it.
  await (await startQueue(inject('ownerDbUrl'))).stop({ graceful: false, wait: true });
  [a, b] = await Promise.all([makeTenant('metra'), makeTenant('metrb')]);
  before = census(await scrape(), STATUS, STAGE);
  aIds = await createEnvironments(a, ['one', 'two']);
  await createEnvironments(b, ['three']);
});

afterAll(async () => {
  if (dataDir) await removeDataDir(dataDir);
});

describe('environments by status on /api/metrics', () => {
  it('counts every tenant\'s live environments by status and stage, with every known pair present', async () => {
    const text = await scrape();
    expect(census(text, STATUS, STAGE)).toBe(before + 3);
    for (const status of ENVIRONMENT_STATUSES) for (const stage of ENVIRONMENT_STAGES) expect(() => census(text, status, stage)).not.toThrow();
    // Counts only: no tenant or environment id becomes a label.
    for (const id of [a.tenant.id, b.tenant.id, ...aIds]) expect(text).not.toContain(id);
  });

  it('leaves torn-down environments out', async () => {
    await withTenant(ownerDb().db, a.tenant.id, (tx) => tx.update(environments).set({ status: 'removed', removedAt: new Date() })
      .where(and(eq(environments.tenantId, a.tenant.id), eq(environments.id, aIds[0]!))));
    expect(census(await scrape(), STATUS, STAGE)).toBe(before + 2);
  });

  it('exposes the reconciler\'s drift, orphans and repairs, and the job metrics', async () => {
    const text = await scrape();
    // The test server runs without a reconciler (SWITCHYARD_RECONCILER=false): no sweep, so zero.
    expect(text).toMatch(/^switchyard_reconciler_drift 0$/m);
    expect(text).toMatch(/^switchyard_reconciler_drifted_environments 0$/m);
    expect(text).toMatch(/^switchyard_reconciler_orphans 0$/m);
    expect(text).toMatch(/^switchyard_reconciler_repairs_total\{outcome="failed"\} 0$/m);
    for (const name of ['switchyard_environment_job_duration_seconds', 'switchyard_environment_job_failures_total', 'switchyard_environment_jobs']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});

describe('environment_census() as the app role', () => {
  it('answers counts across tenants while the app role\'s own reads stay within one tenant', async () => {
    const db = appDb().db;
    const rows = await db.execute(sql`select * from environment_census()`);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['environments', 'stage', 'status']);
    const counted = rows.filter((r) => r.status === STATUS && r.stage === STAGE).reduce((n, r) => n + Number(r.environments), 0);
    expect(counted).toBeGreaterThanOrEqual(2);
    const own = await withTenant(db, b.tenant.id, (tx) => tx.select({ id: environments.id }).from(environments));
    expect(own).toHaveLength(1);
    // Without a tenant, the app role sees no environment at all: the census policy is the owner's only.
    expect(await db.select({ id: environments.id }).from(environments)).toEqual([]);
  });
});

describe('reconciler configuration', () => {
  it('defaults to on, every 30 seconds', () => {
    expect(parseConfig({})).toMatchObject({ SWITCHYARD_RECONCILER: true, SWITCHYARD_RECONCILE_SECONDS: 30 });
    expect(parseConfig({ SWITCHYARD_RECONCILER: 'false', SWITCHYARD_RECONCILE_SECONDS: '120' })).toMatchObject({ SWITCHYARD_RECONCILER: false, SWITCHYARD_RECONCILE_SECONDS: 120 });
  });

  it.each([
    [{ SWITCHYARD_RECONCILE_SECONDS: '0' }, /SWITCHYARD_RECONCILE_SECONDS: must be at least 1/],
    [{ SWITCHYARD_RECONCILE_SECONDS: '90000' }, /SWITCHYARD_RECONCILE_SECONDS: must be at most 86400/],
    [{ SWITCHYARD_RECONCILE_SECONDS: 'soon' }, /SWITCHYARD_RECONCILE_SECONDS/],
    [{ SWITCHYARD_RECONCILER: 'maybe' }, /SWITCHYARD_RECONCILER/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });
});
