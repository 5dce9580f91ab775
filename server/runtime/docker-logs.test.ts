import { describe, expect, it } from 'vitest';
import { LogLineDecoder, decodeLogs } from './docker-logs';

/** One engine log frame: stream id, three zero bytes, big-endian length, payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('log frames to lines', () => {
  it('splits frames into lines, keeps stdout and stderr apart and reads the timestamps', () => {
    const raw = Buffer.concat([
      frame(1, '2026-11-30T09:13:24.123456789Z first\n2026-11-30T09:13:25.000000000Z second\n'),
      frame(2, '2026-11-30T09:13:26.5Z oops\n'),
    ]);
    expect(decodeLogs(raw)).toEqual([
      { stream: 'stdout', time: new Date('2026-11-30T09:13:24.123Z'), text: 'first' },
      { stream: 'stdout', time: new Date('2026-11-30T09:13:25.000Z'), text: 'second' },
      { stream: 'stderr', time: new Date('2026-11-30T09:13:26.500Z'), text: 'oops' },
    ]);
  });

  it('joins a frame cut across chunks and a line cut across frames, byte by byte', () => {
    const raw = Buffer.concat([frame(1, 'hel'), frame(1, 'lo wor'), frame(1, 'ld\nnext\n')]);
    const decoder = new LogLineDecoder();
    const lines = [...raw].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(lines.map((line) => [line.text, line.time])).toEqual([['hello world', null], ['next', null]]);
    expect(decoder.flush()).toEqual([]);
  });

  it('answers an unfinished last line on flush, and drops a trailing carriage return', () => {
    expect(decodeLogs(Buffer.concat([frame(1, 'windows\r\n'), frame(2, 'no line end')]))).toEqual([
      { stream: 'stdout', time: null, text: 'windows' },
      { stream: 'stderr', time: null, text: 'no line end' },
    ]);
  });

  it('answers nothing for an empty log or a header without its payload yet', () => {
    expect(decodeLogs(Buffer.alloc(0))).toEqual([]);
    expect(new LogLineDecoder().push(frame(1, 'abc\n').subarray(0, 9))).toEqual([]);
  });
});
