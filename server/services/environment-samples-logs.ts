// The log tail of an environment's containers, secrets redacted, with a cursor to follow it by polling.
import { withTenant, type Db } from '@/db/client';
import { AppError } from '@/server/errors';
import type { GatewayRuntime, LogLine, RuntimeErrorCode } from '@/server/runtime';
import { redact, secretValues } from '@/server/runtime/secrets';
import { findEnvironment } from './environments';
import { environmentPorts } from './environments-ports';
import { environmentPlan } from './environments-spec';

export const DEFAULT_LOG_LINES = 200;
export const MAX_LOG_LINES = 2000;

interface Ref { tenantId: string; siteId: string; name: string }

export interface TailLine { time: string | null; stream: LogLine['stream']; container: string; text: string }

export interface LogTail {
  lines: TailLine[];
  /** Pass as `since` to get only the lines after these; null when there are none yet. */
  cursor: string | null;
  /** True when more lines arrived since the cursor than were asked for, so some in between are left out. */
  gap: boolean;
  /** Why there are no lines, for a person; null otherwise. */
  note: string | null;
}

// Docker's timestamps are nanoseconds, Date's milliseconds: "<time>~<n>" also says how many lines of that very
// millisecond were already seen, so lines logged within one millisecond are neither lost nor repeated.
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)(?:~(\d{1,6}))?$/;
export const CURSOR_HINT = 'since is a UTC time such as 2026-11-30T09:13:24.123Z, or the cursor of the previous answer';

export function parseCursor(since: string): { at: number; seen: number } | null {
  const match = CURSOR.exec(since);
  if (!match) return null;
  const at = Date.parse(match[1]!);
  return Number.isNaN(at) ? null : { at, seen: Number(match[2] ?? 0) };
}

/** The last `lines` lines of the environment's containers (or those after `since`), oldest first. */
export async function environmentLogTail(db: Db, runtime: GatewayRuntime, args: Ref & { lines?: number; since?: string }): Promise<LogTail> {
  const want = Math.min(Math.max(args.lines ?? DEFAULT_LOG_LINES, 1), MAX_LOG_LINES);
  const after = args.since === undefined ? null : parseCursor(args.since);
  if (args.since !== undefined && !after) throw new AppError('BAD_REQUEST', `"${args.since}" is not a cursor: ${CURSOR_HINT}.`, 'since');
  const { env, plan } = await withTenant(db, args.tenantId, async (tx) => {
    const found = await findEnvironment(tx, args);
    const ports = found.removedAt ? {} : await environmentPorts(tx, found.tenantId, found.id);
    return { env: found, plan: Object.keys(ports).length === 0 ? null : environmentPlan(found, ports) };
  });
  const empty = (note: string): LogTail => ({ lines: [], cursor: args.since ?? null, gap: false, note });
  if (!plan) return empty(env.removedAt ? 'The environment was torn down; its containers and their logs are gone.' : 'The environment holds no host port, so it has no containers.');

  const secrets = await secretValues(plan);
  const perContainer = await Promise.all(plan.services.map(async (service) => {
    try {
      const lines = await runtime.logs(service.containerName, { tail: want });
      return lines.map((line) => ({ ...line, container: service.key, text: redact(line.text, secrets) }));
    } catch (error) {
      if (runtimeCode(error) === 'NOT_FOUND') return null;
      if (runtimeCode(error) === 'ENGINE_UNREACHABLE') throw new AppError('PRECONDITION_FAILED', `${(error as Error).message}. The log cannot be read until the engine is back.`);
      throw error;
    }
  }));
  if (perContainer.every((lines) => lines === null)) return empty('No container for this environment yet: its log appears once the provision job has created it.');

  const merged = mergeByTime(perContainer.flatMap((lines) => lines ?? []));
  const fresh = after ? merged.filter((line, i) => line.ms > after.at || (line.ms === after.at && sameMsIndex(merged, i) >= after.seen)) : merged;
  const shown = fresh.slice(-want);
  const last = shown.at(-1);
  const cursor = last ? `${new Date(last.ms).toISOString()}~${merged.filter((line) => line.ms === last.ms).length}` : args.since ?? null;
  // The window of `want` lines per container began after the cursor: lines in between were not fetched.
  const gap = Boolean(after) && (fresh.length > want || perContainer.some((lines) => lines !== null && lines.length >= want && (lines[0]?.time?.getTime() ?? 0) > after!.at));
  return {
    lines: shown.map(({ time, stream, container, text }) => ({ time: time ? time.toISOString() : null, stream, container, text })),
    cursor, gap, note: null,
  };
}

/**
 * The runtime error's code, by shape: in the served app the runtime instance may come from another copy of the
 * module than this one (the start script's, not the Next bundle's), so `instanceof RuntimeError` can miss it.
 */
export function runtimeCode(error: unknown): RuntimeErrorCode | null {
  const e = error as { name?: unknown; code?: unknown } | null;
  return e?.name === 'RuntimeError' && typeof e.code === 'string' ? e.code as RuntimeErrorCode : null;
}

type Tagged = LogLine & { container: string };

/** Oldest first across containers; a line without a timestamp takes the one before it in its container. */
function mergeByTime(lines: Tagged[]): (Tagged & { ms: number })[] {
  const lastSeen = new Map<string, number>();
  const timed = lines.map((line) => {
    const ms = line.time?.getTime() ?? lastSeen.get(line.container) ?? 0;
    lastSeen.set(line.container, ms);
    return { ...line, ms };
  });
  return timed.map((line, order) => ({ line, order })).sort((a, b) => a.line.ms - b.line.ms || a.order - b.order).map(({ line }) => line);
}

/** How many lines before index i share its millisecond. */
function sameMsIndex(lines: readonly { ms: number }[], i: number): number {
  let n = 0;
  while (i - n - 1 >= 0 && lines[i - n - 1]!.ms === lines[i]!.ms) n += 1;
  return n;
}
