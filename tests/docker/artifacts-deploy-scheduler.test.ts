// The backup scheduler as startJobs runs it (a loop of passes over due_backup_schedules) and its configuration.
// No gateway runs here: this file's queue has no worker, so its environment stays provisioning and due backups of it
// are skipped; the deploy suite runs scheduled backups for real.
import { eq } from 'drizzle-orm';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@/db/client';
import { backupSchedules, environments } from '@/db/schema';
import { nextRunAfter, runDueBackups, startBackupScheduler } from '@/server/jobs/backup-scheduler';
import { parseConfig } from '@/server/config';
import { startQueue } from '@/server/jobs/queue';
import { appDb, makeTenant, ownerDb } from '../helpers/db';
import { isolateEnvironmentConfig, removeDataDir } from '../integration/environments-fixture';

const PORT_LOW = 46_000 + Math.floor(Math.random() * 200) * 10;
const spec = { version: '8.3.4', image: 'switchyard/not-pulled-scheduler:8.3.4', acceptEula: true, memory: '1GiB' };

let dataDir: string;
let t: Awaited<ReturnType<typeof makeTenant>>;
let ref: { tenantId: string; siteId: string; environment: string };

const asOwner = <T>(work: Parameters<typeof withTenant<T>>[2]) => withTenant(ownerDb().db, t.tenant.id, work);
const makeDue = () => asOwner((tx) => tx.update(backupSchedules).set({ nextRunAt: new Date(Date.now() - 5_000) }).where(eq(backupSchedules.tenantId, t.tenant.id)));

beforeAll(async () => {
  dataDir = await isolateEnvironmentConfig({ SWITCHYARD_PORT_RANGE: `${PORT_LOW}-${PORT_LOW + 9}` });
  // The queue is installed (requests send to it) but no worker takes from it.
  await (await startQueue(inject('ownerDbUrl'))).stop({ graceful: false, wait: true });
  t = await makeTenant('sched');
  const siteId = (await t.ownerCaller.sites.create({ tenantId: t.tenant.id, slug: 'plant', name: 'Plant' })).id;
  ref = { tenantId: t.tenant.id, siteId, environment: 'gw' };
  await t.ownerCaller.environments.create({ ...ref, name: 'gw', stage: 'dev', spec, apiToken: 'scheduler-test-token' });
});

afterAll(async () => { await removeDataDir(dataDir); });

describe('the backup scheduler', () => {
  it('is on by default every 60 s; SWITCHYARD_BACKUP_SCHEDULER=false turns it off; bad intervals are refused by name', () => {
    expect(parseConfig({})).toMatchObject({ SWITCHYARD_BACKUP_SCHEDULER: true, SWITCHYARD_BACKUP_SCHEDULER_SECONDS: 60 });
    expect(parseConfig({ SWITCHYARD_BACKUP_SCHEDULER: 'false', SWITCHYARD_BACKUP_SCHEDULER_SECONDS: '5' }))
      .toMatchObject({ SWITCHYARD_BACKUP_SCHEDULER: false, SWITCHYARD_BACKUP_SCHEDULER_SECONDS: 5 });
    expect(() => parseConfig({ SWITCHYARD_BACKUP_SCHEDULER_SECONDS: '0' })).toThrow(/SWITCHYARD_BACKUP_SCHEDULER_SECONDS: must be at least 1/);
    expect(() => parseConfig({ SWITCHYARD_BACKUP_SCHEDULER_SECONDS: '3601' })).toThrow(/SWITCHYARD_BACKUP_SCHEDULER_SECONDS: must be at most 3600/);
    expect(() => parseConfig({ SWITCHYARD_BACKUP_SCHEDULER: 'sometimes' })).toThrow(/SWITCHYARD_BACKUP_SCHEDULER/);
  });

  it('moves the next run by whole periods after the planned one, never into the past', () => {
    const planned = new Date('2026-01-01T00:00:00Z');
    expect(nextRunAfter(planned, 6, new Date('2026-01-01T00:00:01Z'))).toEqual(new Date('2026-01-01T06:00:00Z'));
    expect(nextRunAfter(planned, 6, new Date('2026-01-01T13:00:00Z'))).toEqual(new Date('2026-01-01T18:00:00Z'));
    expect(nextRunAfter(planned, 1, new Date('2025-12-31T23:00:00Z'))).toEqual(new Date('2026-01-01T01:00:00Z'));
  });

  it('its loop takes a due schedule by itself: a gateway that is not running is skipped and the schedule moves on', async () => {
    await t.ownerCaller.deployments.setBackupSchedule({ ...ref, everyHours: 1, keepLast: 3 });
    await makeDue();
    const scheduler = startBackupScheduler({ db: appDb().db, intervalSeconds: 1, onlyTenants: [t.tenant.id] });
    try {
      const deadline = Date.now() + 15_000;
      while ((await t.ownerCaller.deployments.backupSchedule(ref))!.nextRunAt.getTime() < Date.now()) {
        if (Date.now() > deadline) throw new Error('the scheduler loop did not take the due schedule within 15 s');
        await sleep(200);
      }
    } finally {
      await scheduler.stop();
    }
    expect((await t.ownerCaller.environments.jobs(ref)).map((j) => j.kind)).toEqual(['provision']);
  });

  it("a pass reports the skip and why; another tenant's due schedule is not this pass's business", async () => {
    await makeDue();
    expect(await runDueBackups(appDb().db, { onlyTenants: [t.tenant.id] }))
      .toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'the gateway is provisioning, not running' })]);
    await makeDue();
    expect(await runDueBackups(appDb().db, { onlyTenants: ['00000000-0000-4000-8000-000000000000'] })).toEqual([]);
  });

  it("a torn-down environment's schedule is removed by the next pass", async () => {
    await makeDue();
    await asOwner((tx) => tx.update(environments).set({ removedAt: new Date(), status: 'removed' }).where(eq(environments.tenantId, t.tenant.id)));
    expect(await runDueBackups(appDb().db, { onlyTenants: [t.tenant.id] }))
      .toEqual([expect.objectContaining({ outcome: 'removed', reason: 'the environment was torn down' })]);
    expect(await asOwner((tx) => tx.select().from(backupSchedules).where(eq(backupSchedules.tenantId, t.tenant.id)))).toEqual([]);
  });
});
