// Byte sources for the storage tests: deterministic chunks whose SHA-256 is known up front.
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

export const MiB = 1024 * 1024;

/** `total` bytes in 1 MiB chunks, each filled from a seed (fresh buffers, as a network stream would give). */
export function generated(total: number, seed = 1): { stream: () => Readable; sha256: string } {
  const chunk = (i: number, size: number) => Buffer.alloc(size, `${seed}:${i};`);
  const sizes = (function* () {
    for (let at = 0, i = 0; at < total; at += MiB, i += 1) yield [i, Math.min(MiB, total - at)] as const;
  });
  const hash = createHash('sha256');
  for (const [i, size] of sizes()) hash.update(chunk(i, size));
  return { stream: () => Readable.from((function* () { for (const [i, size] of sizes()) yield chunk(i, size); })()), sha256: hash.digest('hex') };
}

export async function sha256Of(stream: AsyncIterable<Buffer | string>): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A key prefix of its own per test, so tests never see each other's objects. */
export const testPrefix = (label: string) => `test/${label}-${randomUUID().slice(0, 8)}/`;
