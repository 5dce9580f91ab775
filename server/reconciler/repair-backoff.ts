/**
 * Repairs of one environment are spaced out when they keep coming back: a gateway that dies right after every
 * start would otherwise be restarted on every event. The wait doubles while repairs follow each other closely and
 * falls back to the base once the environment has stayed repaired for a while.
 */
export class RepairBackoff {
  private readonly last = new Map<string, { at: number; waitMs: number }>();

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until the environment may be repaired again (0: now). */
  remaining(environmentId: string): number {
    const entry = this.last.get(environmentId);
    return entry ? Math.max(0, entry.at + entry.waitMs - this.now()) : 0;
  }

  /** Records a repair (whatever its outcome). */
  record(environmentId: string): void {
    const now = this.now();
    const entry = this.last.get(environmentId);
    const soonAfter = entry !== undefined && now - entry.at < entry.waitMs * 2 + this.baseMs;
    this.last.set(environmentId, { at: now, waitMs: soonAfter ? Math.min(entry.waitMs * 2, this.maxMs) : this.baseMs });
  }
}
