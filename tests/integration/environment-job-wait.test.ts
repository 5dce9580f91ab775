import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { environmentJobs } from '@/db/schema';
import { updateJob } from '@/server/services/environments-jobs';
import { appDb, makeTenant } from '../helpers/db';

// Waiting for a job (GET .../jobs/{number}?waitSeconds=N): the answer comes when the job finishes, woken by the
// change's NOTIFY rather than by polling, or when the wait is over with the job as it stands.

let t: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };
let heldJobId: string;

beforeAll(async () => {
  t = await makeTenant('jobwait');
  const site = await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' });
  ref = { tenantId: t.tenant.id, siteId: site.id, environment: 'waiter' };
  // The image is never on the host: the server's worker fails the provision at its image step and rolls it back.
  const created = await t.ownerCaller.environments.create({ ...ref, name: 'waiter', stage: 'dev', spec: { version: '8.3.4', image: 'switchyard/not-pulled-wait:8.3.4', acceptEula: true, memory: '1GiB' } });
  const first = await t.ownerCaller.environments.job({ ...ref, number: 1, waitSeconds: 60 });
  expect(first.status).toBe('rolled_back');
  // A job no worker will take (never put on the queue): it stays queued until this test changes it.
  const [held] = await withTenant(appDb().db, t.tenant.id, (tx) => tx.insert(environmentJobs).values({
    tenantId: t.tenant.id, siteId: site.id, environmentId: created.environment.id, number: 2, kind: 'restart', params: {}, requestedBy: 'test',
  }).returning());
  heldJobId = held!.id;
}, 120_000);

describe('waiting for a job', () => {
  it('answers a job that has not finished once the wait is over, as it stands', async () => {
    const started = Date.now();
    const job = await t.ownerCaller.environments.job({ ...ref, number: 2, waitSeconds: 1 });
    const took = Date.now() - started;
    expect(job).toMatchObject({ number: 2, status: 'queued' });
    expect(took).toBeGreaterThanOrEqual(1_000);
    expect(took).toBeLessThan(4_000);
  });

  it('answers at once when the job changes to finished, woken by the change itself', async () => {
    const waiting = t.ownerCaller.environments.job({ ...ref, number: 2, waitSeconds: 30 });
    await new Promise((r) => setTimeout(r, 500));
    const finishedAt = Date.now();
    await updateJob(appDb().db, t.tenant.id, heldJobId, { status: 'succeeded', finishedAt: new Date() });
    const job = await waiting;
    expect(job).toMatchObject({ number: 2, status: 'succeeded' });
    // Without the notification the wait would re-read only after its 5 s slice.
    expect(Date.now() - finishedAt).toBeLessThan(2_000);
    const [row] = await withTenant(appDb().db, t.tenant.id, (tx) => tx.select().from(environmentJobs)
      .where(and(eq(environmentJobs.tenantId, t.tenant.id), eq(environmentJobs.id, heldJobId))));
    expect(row?.status).toBe('succeeded');
  });

  it('refuses a wait longer than a minute, naming the field', async () => {
    const refused = await t.ownerCaller.environments.job({ ...ref, number: 1, waitSeconds: 61 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('waitSeconds is 0 to 60') });
  });
});
