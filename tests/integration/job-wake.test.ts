import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withTenant } from '@/db/client';
import { listenForQueuedJobs, notifyJobQueued } from '@/server/jobs/wake';
import { appDb, makeTenant } from '../helpers/db';

// Workers wake when a job is queued instead of waiting for their next poll: the request's transaction notifies,
// and Postgres delivers the notification when (and only if) that transaction commits.

const wakes: string[] = [];
let stop: () => Promise<void>;
let tenantId: string;

async function until(check: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  tenantId = (await makeTenant('wake')).tenant.id;
  const listeners = await Promise.all(['queue-a', 'queue-b'].map((queue) => listenForQueuedJobs(inject('ownerDbUrl'), queue, () => wakes.push(queue))));
  stop = async () => { await Promise.all(listeners.map((l) => l.stop())); };
});
afterAll(() => stop());

describe('waking job workers', () => {
  it('a queued job wakes the listeners of its queue on commit, not before, and not those of other queues', async () => {
    await withTenant(appDb().db, tenantId, async (tx) => {
      await notifyJobQueued(tx, 'queue-a');
      await sleep(300);
      expect(wakes).toEqual([]);
    });
    await until(() => wakes.length === 1);
    expect(wakes).toEqual(['queue-a']);
  });

  it('a rolled-back request wakes nobody', async () => {
    wakes.length = 0;
    await expect(withTenant(appDb().db, tenantId, async (tx) => {
      await notifyJobQueued(tx, 'queue-b');
      throw new Error('the request failed after queueing');
    })).rejects.toThrow('the request failed');
    await withTenant(appDb().db, tenantId, (tx) => notifyJobQueued(tx, 'queue-a'));
    await until(() => wakes.length === 1);
    await sleep(200);
    expect(wakes).toEqual(['queue-a']);
  });
});
