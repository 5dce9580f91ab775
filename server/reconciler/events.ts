/**
 * The engine's event stream for Switchyard's containers, kept open: when it ends (engine restarted, socket cut,
 * engine unreachable) it is opened again after a growing wait. Each (re)connection is announced, so the owner can
 * sweep for whatever happened while no events came in.
 */
import type Docker from 'dockerode';
import { MANAGED_BY_LABEL } from '@/server/runtime';
import type { WatchChange } from './types';

/** Container events after which an environment may differ from its plan; `update` and `rename` are changes made outside. */
export const WATCHED_ACTIONS = ['die', 'stop', 'destroy', 'start', 'health_status', 'update', 'rename'];

export interface ContainerEvent {
  action: string;
  containerId: string;
  /** The container's labels and the engine's attributes (name, image, exitCode...). */
  attributes: Record<string, string>;
}

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/** A stream that lasted at least this long was a working connection: the next outage starts the backoff afresh. */
const STABLE_MS = 2_000;

export class EngineEvents {
  private stream: NodeJS.ReadableStream | null = null;
  private retry: NodeJS.Timeout | null = null;
  private waitMs: number;
  private stopped = true;

  constructor(
    private readonly docker: Docker,
    private readonly onEvent: (event: ContainerEvent) => void,
    private readonly onChange: (change: WatchChange) => void,
    private readonly backoff: BackoffSettings,
  ) {
    this.waitMs = backoff.initialMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Waiting to reopen the stream, and the engine has just answered something else: reopen it now, not at the end of the wait. */
  nudge(): void {
    if (this.stopped || !this.retry) return;
    clearTimeout(this.retry);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.destroyStream();
  }

  private async connect(): Promise<void> {
    this.retry = null;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getEvents({
        filters: { type: ['container'], event: WATCHED_ACTIONS, label: [`${MANAGED_BY_LABEL}=switchyard`] },
      });
    } catch (error) {
      this.reconnectLater(`could not open the engine's event stream (${describe(error)})`);
      return;
    }
    if (this.stopped) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    const openedAt = Date.now();
    let ended = false;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      this.destroyStream();
      if (Date.now() - openedAt >= STABLE_MS) this.waitMs = this.backoff.initialMs;
      this.reconnectLater(reason);
    };
    stream.on('data', lineReader((line) => this.dispatch(line)));
    stream.on('error', (error: unknown) => end(`the event stream failed (${describe(error)})`));
    stream.on('end', () => end('the engine ended the event stream'));
    stream.on('close', () => end('the event stream was closed'));
    this.onChange({ state: 'connected' });
  }

  private reconnectLater(reason: string): void {
    if (this.stopped) return;
    const retryInMs = this.waitMs;
    this.waitMs = Math.min(this.waitMs * 2, this.backoff.maxMs);
    this.onChange({ state: 'disconnected', reason, retryInMs });
    this.retry = setTimeout(() => void this.connect(), retryInMs);
  }

  private destroyStream(): void {
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
    this.stream = null;
    stream?.removeAllListeners('data');
    stream?.destroy?.();
  }

  private dispatch(line: string): void {
    let message: { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      return; // not an event (the engine writes one JSON object per line)
    }
    if (message.Type !== 'container' || !message.Actor?.ID) return;
    this.onEvent({ action: message.Action ?? '', containerId: message.Actor.ID, attributes: message.Actor.Attributes ?? {} });
  }
}

/** Chunks to whole lines: a chunk may hold several events or part of one. */
function lineReader(onLine: (line: string) => void): (chunk: Buffer | string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line);
  };
}

function describe(error: unknown): string {
  const failure = error as { code?: string; message?: string } | null;
  return failure?.code ?? failure?.message ?? String(error);
}
