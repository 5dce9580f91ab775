// A job's steps as they happen, written to its row so the console can follow along. Writes are chained, so they
// land in order even though the runtime reports steps synchronously.
import type { Db } from '@/db/client';
import type { JobStep } from '@/db/schema';
import { updateJob } from '@/server/services/environments-jobs';
import type { StepEvent } from '@/server/runtime';

export class StepLog {
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db, private readonly tenantId: string, private readonly jobId: string, readonly steps: JobStep[]) {}

  /** Replaces the step of that name if it is the latest one, else appends it (a resumed job starts its steps over). */
  record(step: JobStep): void {
    const last = this.steps.at(-1);
    if (last && last.name === step.name && last.status === 'running') this.steps[this.steps.length - 1] = step;
    else this.steps.push(step);
    const snapshot = [...this.steps];
    this.pending = this.pending.then(() => updateJob(this.db, this.tenantId, this.jobId, { steps: snapshot }));
  }

  /** The runtime's provision steps. */
  fromRuntime = (event: StepEvent): void => {
    const finished = event.status === 'running' ? null : new Date(event.startedAt.getTime() + event.durationMs).toISOString();
    this.record({ name: event.step, status: event.status, startedAt: event.startedAt.toISOString(), finishedAt: finished, detail: event.detail });
  };

  /** Runs one step of our own, recording it as running, then done or failed. */
  async run<T>(name: string, work: () => Promise<T>, describe: (result: T) => string = () => ''): Promise<T> {
    const startedAt = new Date().toISOString();
    this.record({ name, status: 'running', startedAt, finishedAt: null, detail: '' });
    try {
      const result = await work();
      this.record({ name, status: 'done', startedAt, finishedAt: new Date().toISOString(), detail: describe(result) });
      return result;
    } catch (err) {
      this.record({ name, status: 'failed', startedAt, finishedAt: new Date().toISOString(), detail: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  flushed(): Promise<void> {
    return this.pending;
  }
}
