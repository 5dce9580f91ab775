import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { environmentJobs } from '@/db/schema';
import { updateJob } from '@/server/services/environments-jobs';
import { watchJob } from '@/server/services/job-events';
import { addMember, appDb, makeTenant } from '../helpers/db';

// Waiting for a job (GET .../jobs/{number}?waitSeconds=N): the answer comes when the job finishes, woken by the
// change's NOTIFY rather than by polling, or when the wait is over with the job as it stands.

let t: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };
let heldJobId: string;
let environmentId: string;

/** A job no worker will take (never put on the queue): it stays queued until a test changes it. */
async function heldJob(number: number): Promise<string> {
  const [held] = await withTenant(appDb().db, t.tenant.id, (tx) => tx.insert(environmentJobs).values({
    tenantId: t.tenant.id, siteId: ref.siteId, environmentId, number, kind: 'restart', params: {}, requestedBy: 'test',
  }).returning());
  return held!.id;
}

beforeAll(async () => {
  t = await makeTenant('jobwait');
  const site = await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' });
  ref = { tenantId: t.tenant.id, siteId: site.id, environment: 'waiter' };
  // The image is never on the host: the server's worker fails the provision at its image step and rolls it back.
  const created = await t.ownerCaller.environments.create({ ...ref, name: 'waiter', stage: 'dev', spec: { version: '8.3.4', image: 'switchyard/not-pulled-wait:8.3.4', acceptEula: true, memory: '1GiB' } });
  const first = await t.ownerCaller.environments.job({ ...ref, number: 1, waitSeconds: 60 });
  expect(first.status).toBe('rolled_back');
  environmentId = created.environment.id;
  heldJobId = await heldJob(2);
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

  it('ends the wait with NOT_FOUND when the caller loses the site meanwhile, showing nothing that happened after', async () => {
    const operator = await addMember(t.ownerCaller, t.tenant.id, null, [{ siteId: ref.siteId, role: 'operator' }]);
    const jobId = await heldJob(3);
    await expect(operator.caller.environments.job({ ...ref, number: 3 })).resolves.toMatchObject({ status: 'queued' });
    const waiting = operator.caller.environments.job({ ...ref, number: 3, waitSeconds: 30 }).then(() => null, (e: unknown) => e);
    await new Promise((r) => setTimeout(r, 500));
    await t.ownerCaller.delegation.revoke({ tenantId: t.tenant.id, siteId: ref.siteId, userId: operator.user.userId });
    await updateJob(appDb().db, t.tenant.id, jobId, { status: 'succeeded', finishedAt: new Date() });
    expect(await waiting).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no access to it any more') });
  });

  it('a watch on a job ends on the change\'s notification alone', async () => {
    const jobId = await heldJob(4);
    // No fallback re-reading within the test's time: only the NOTIFY from the change's transaction can end it early.
    const watch = await watchJob(appDb().db, jobId, 60_000);
    const started = Date.now();
    const changed = watch.changedOrAfter(10_000);
    await updateJob(appDb().db, t.tenant.id, jobId, { status: 'running', startedAt: new Date() });
    await changed;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a wait longer than a minute, naming the field', async () => {
    const refused = await t.ownerCaller.environments.job({ ...ref, number: 1, waitSeconds: 61 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('waitSeconds is 0 to 60') });
  });
});
