/** Runs a named step, timing it and reporting `running` then `done`/`skipped`/`failed` through onStep. */
import { RuntimeError } from './errors';
import type { ProvisionStepName, StepEvent } from './types';

export interface StepOutcome {
  /** False when everything was already as wanted (the step is reported `skipped`). */
  changed: boolean;
  detail: string;
}

export class StepReporter {
  readonly events: StepEvent[] = [];

  constructor(private readonly onStep?: (event: StepEvent) => void) {}

  async run(step: ProvisionStepName, work: () => Promise<StepOutcome>): Promise<void> {
    const startedAt = new Date();
    this.emit({ step, status: 'running', startedAt, durationMs: 0, detail: '' }, false);
    const durationMs = () => Date.now() - startedAt.getTime();
    try {
      const outcome = await work();
      this.emit({ step, status: outcome.changed ? 'done' : 'skipped', startedAt, durationMs: durationMs(), detail: outcome.detail });
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      const error = cause instanceof RuntimeError ? cause : undefined;
      this.emit({ step, status: 'failed', startedAt, durationMs: durationMs(), detail, ...(error ? { error } : {}) });
      throw cause;
    }
  }

  private emit(event: StepEvent, keep = true): void {
    if (keep) this.events.push(event);
    // A listener's own failure must not turn a working provision into a failed one.
    try {
      this.onStep?.(event);
    } catch {
      /* ignored on purpose */
    }
  }
}
