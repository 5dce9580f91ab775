/** Sizes and durations as people write them in a spec, converted to exact integers. */

const MiB = 1024 * 1024;

// Docker reads k/m/g as binary units; so do we, and we say so in the docs.
const SIZE_UNITS: Readonly<Record<string, number>> = {
  k: 1024, kb: 1024, ki: 1024, kib: 1024,
  m: MiB, mb: MiB, mi: MiB, mib: MiB,
  g: 1024 * MiB, gb: 1024 * MiB, gi: 1024 * MiB, gib: 1024 * MiB,
};

/** `2GiB`, `1536m`, `1.5g` -> whole MiB. Returns an error message instead of throwing. */
export function parseSizeMiB(input: string): number | { error: string } {
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(input.trim());
  const factor = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    return { error: `"${input}" is not a size; write a number with a unit, e.g. 2GiB or 1536MiB (k, m, g are binary units)` };
  }
  const bytes = Number(match[1]) * factor;
  if (!Number.isFinite(bytes) || bytes % MiB !== 0) {
    return { error: `"${input}" is not a whole number of MiB; round it, e.g. ${Math.max(1, Math.round(bytes / MiB))}MiB` };
  }
  return bytes / MiB;
}

export function mibToBytes(mib: number): number {
  return mib * MiB;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `10s`, `1m30s`, `500ms` -> milliseconds. Returns an error message instead of throwing. */
export function parseDurationMs(input: string): number | { error: string } {
  const text = input.trim();
  const part = /(\d+)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const match of text.matchAll(part)) {
    if (match.index !== consumed) break;
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
    consumed += match[0].length;
  }
  if (text.length === 0 || consumed !== text.length) {
    return { error: `"${input}" is not a duration; write e.g. 10s, 1m30s or 500ms` };
  }
  return total;
}

/** Milliseconds -> the shortest exact Compose duration (`90s`, `1500ms`, `2m`). */
export function formatDurationMs(ms: number): string {
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
