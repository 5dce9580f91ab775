/**
 * The reconciler: compares what the environments should be (given by `desired`, the database in the product) with
 * what the Docker engine runs, reports the difference and repairs it under the 'repair' policy. sweep() checks
 * everything once; watch() keeps checking: on engine events (a targeted, debounced re-check of the environment
 * concerned), after every (re)connection of the event stream, and periodically. Checks run one at a time.
 */
import Docker from 'dockerode';
import type { GatewayRuntime } from '@/server/runtime';
import { Engine } from '@/server/runtime/docker-engine';
import { runCheck, type CheckDependencies } from './check';
import { ownerKey, ownerOf } from './compare';
import { EngineEvents, type BackoffSettings, type ContainerEvent } from './events';
import { RepairBackoff } from './repair-backoff';
import type { DesiredEnvironment, Policy, SweepReport, WatchChange } from './types';

export interface ReconcilerOptions {
  runtime: GatewayRuntime;
  /** The desired state, read afresh for every check. */
  desired: () => Promise<DesiredEnvironment[]>;
  /** Every check's report (sweeps and event re-checks); awaited before the next check. */
  onReport?: (report: SweepReport) => void | Promise<void>;
  /** Overrides an environment's own policy (e.g. a platform-wide "report only"); default: environment.policy. */
  policyFor?: (environment: DesiredEnvironment) => Policy;
  /** The engine the runtime talks to, for inspecting and events (default: DOCKER_HOST, else the local socket). */
  docker?: Docker;
  /** Milliseconds between periodic sweeps while watching (default 60 s; 0: none). */
  intervalMs?: number;
  /** Events for one environment within this many milliseconds make one re-check (default 500). */
  debounceMs?: number;
  /** Waits between attempts to reopen the event stream (default 250 ms doubling up to 15 s). */
  reconnect?: BackoffSettings;
  /** Spacing of repeated repairs of one environment (default 5 s doubling up to 5 min). */
  repairBackoff?: { baseMs: number; maxMs: number };
  /** Seconds a gateway gets to stop before it is killed (default 30). */
  stopTimeoutSeconds?: number;
  /** Containers inspected at once while comparing (default 16). */
  concurrency?: number;
  /** The event stream connected, or ended and will be retried. */
  onWatch?: (change: WatchChange) => void;
  /** onReport threw: the reconciler goes on; this says what happened (default: ignored). */
  onError?: (error: unknown) => void;
}

const FULL = '*';

export class Reconciler {
  private readonly deps: CheckDependencies;
  private readonly events: EngineEvents;
  private tail: Promise<unknown> = Promise.resolve();
  /** A full sweep queued and not yet started: further requests join it. */
  private queuedSweep: Promise<SweepReport> | null = null;
  private readonly debounced = new Map<string, NodeJS.Timeout>();
  private periodic: NodeJS.Timeout | null = null;
  private watching = false;

  constructor(private readonly options: ReconcilerOptions) {
    const docker = options.docker ?? new Docker();
    const backoff = options.repairBackoff ?? { baseMs: 5_000, maxMs: 300_000 };
    this.deps = {
      runtime: options.runtime,
      engine: new Engine(docker),
      desired: options.desired,
      policyFor: options.policyFor ?? ((environment) => environment.policy),
      backoff: new RepairBackoff(backoff.baseMs, backoff.maxMs),
      settings: { stopTimeoutSeconds: options.stopTimeoutSeconds ?? 30 },
      concurrency: options.concurrency ?? 16,
    };
    this.events = new EngineEvents(docker, (event) => this.onEngineEvent(event), (change) => this.onWatchChange(change), options.reconnect ?? { initialMs: 250, maxMs: 15_000 });
  }

  /** Checks every environment and every Switchyard container once (after any check already running). */
  sweep(): Promise<SweepReport> {
    if (this.queuedSweep) return this.queuedSweep;
    const sweep = this.enqueue(() => {
      this.queuedSweep = null;
      return this.check(null);
    });
    this.queuedSweep = sweep;
    return sweep;
  }

  /** Checks the environment (or orphan) carrying these owner labels, e.g. { 'io.switchyard.environment': 'dev', ... }. */
  recheck(owner: Record<string, string>): Promise<SweepReport> {
    const scope = ownerOf(owner);
    if (Object.keys(scope).length === 0) return this.sweep();
    return this.enqueue(() => this.check(scope));
  }

  /** Starts watching engine events and sweeping periodically; a no-op when already watching. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    this.events.start();
    this.schedulePeriodic();
  }

  /** Ends watching and periodic sweeps; resolves when the check under way (if any) has finished. */
  async stop(): Promise<void> {
    this.watching = false;
    this.events.stop();
    if (this.periodic) clearTimeout(this.periodic);
    this.periodic = null;
    for (const timer of this.debounced.values()) clearTimeout(timer);
    this.debounced.clear();
    await this.tail;
  }

  private async check(scope: Record<string, string> | null): Promise<SweepReport> {
    const report = await runCheck(this.deps, scope);
    // The engine answered: an event stream still waiting out its backoff (up to 15 s after an outage) reopens now.
    if (!report.error && this.watching) this.events.nudge();
    try {
      await this.options.onReport?.(report);
    } catch (error) {
      this.options.onError?.(error);
    }
    return report;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private onEngineEvent(event: ContainerEvent): void {
    const owner = ownerOf(event.attributes);
    const key = Object.keys(owner).length > 0 ? ownerKey(owner) : FULL;
    if (!this.watching || this.debounced.has(key)) return;
    const timer = setTimeout(() => {
      this.debounced.delete(key);
      // A queued full sweep covers this owner too.
      if (!this.watching || this.queuedSweep) return;
      this.background(key === FULL ? this.sweep() : this.recheck(owner));
    }, this.options.debounceMs ?? 500);
    timer.unref();
    this.debounced.set(key, timer);
  }

  private onWatchChange(change: WatchChange): void {
    this.options.onWatch?.(change);
    // Whatever happened while no events came in (or before watching began) is found by a sweep.
    if (change.state === 'connected') this.background(this.sweep());
  }

  private schedulePeriodic(): void {
    const interval = this.options.intervalMs ?? 60_000;
    if (this.periodic) clearTimeout(this.periodic);
    if (interval <= 0 || !this.watching) return;
    this.periodic = setTimeout(() => {
      this.background(this.sweep().finally(() => this.schedulePeriodic()));
    }, interval);
    this.periodic.unref();
  }

  /** A check nobody awaits: a failure goes to onError instead of becoming an unhandled rejection. */
  private background(check: Promise<unknown>): void {
    check.catch((error: unknown) => this.options.onError?.(error));
  }
}
