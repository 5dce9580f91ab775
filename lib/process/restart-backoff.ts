/**
 * How long to wait before replacing a process that died. One that ran for a while is replaced after `initialMs`;
 * one that keeps dying soon after it starts (a broken build, a database it cannot reach) waits twice as long each
 * time, up to `maxMs`, so a crash loop does not burn the machine's cores or flood the log.
 */
export class RestartBackoff {
  private delayMs: number;

  constructor(private readonly opts: { initialMs: number; maxMs: number; stableAfterMs: number }) {
    this.delayMs = opts.initialMs;
  }

  /** The delay before the next start, given how long the process that just died had been running. */
  next(ranForMs: number): number {
    if (ranForMs >= this.opts.stableAfterMs) this.delayMs = this.opts.initialMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.opts.maxMs);
    return delay;
  }
}
