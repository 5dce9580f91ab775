/**
 * Container logs as lines. A container without a TTY sends its log as frames: 8 header bytes (stream id, three
 * zero bytes, big-endian length) then the payload. Frames may split anywhere across chunks, and a line across
 * frames, so both are buffered. Lines carry the engine's timestamp (requested with timestamps=true).
 */
import type { LogLine } from './types';

const HEADER_BYTES = 8;
const STDERR = 2;

export class LogLineDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private partial: Record<LogLine['stream'], string> = { stdout: '', stderr: '' };

  /** Feeds raw bytes from the engine; answers the lines completed by them. */
  push(chunk: Buffer): LogLine[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const lines: LogLine[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) break;
      const stream = this.pending[0] === STDERR ? 'stderr' : 'stdout';
      const text = this.partial[stream] + this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size).toString('utf8');
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      const parts = text.split('\n');
      this.partial[stream] = parts.pop() ?? '';
      for (const part of parts) lines.push(parseLine(stream, part));
    }
    return lines;
  }

  /** Lines still waiting for their line end when the log ends. */
  flush(): LogLine[] {
    const rest = (['stdout', 'stderr'] as const).filter((stream) => this.partial[stream] !== '');
    const lines = rest.map((stream) => parseLine(stream, this.partial[stream]));
    this.partial = { stdout: '', stderr: '' };
    return lines;
  }
}

/** `2026-11-30T09:13:24.123456789Z text` -> time and text; a line without a timestamp keeps its text whole. */
function parseLine(stream: LogLine['stream'], raw: string): LogLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const match = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/s.exec(line);
  if (!match) return { stream, time: null, text: line };
  return { stream, time: new Date(match[1]!), text: match[2]! };
}

export function decodeLogs(raw: Buffer): LogLine[] {
  const decoder = new LogLineDecoder();
  return [...decoder.push(raw), ...decoder.flush()];
}

/** Lines from a following log stream until it ends or `signal` aborts (then it returns quietly). */
export async function* followLines(stream: NodeJS.ReadableStream & { destroy?: () => void }, signal?: AbortSignal): AsyncGenerator<LogLine> {
  const decoder = new LogLineDecoder();
  const stop = () => stream.destroy?.();
  if (signal?.aborted) return stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of stream) {
      for (const line of decoder.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))) yield line;
    }
    yield* decoder.flush();
  } catch (error) {
    if (!signal?.aborted) throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
