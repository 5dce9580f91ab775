// How the request form's stack members become a stack spec (`gateways: [...]`). The API checks the result with the
// same schema as any spec; this only shapes input.
import { SIZE_PRESETS } from './spec';

/** A member's size choice meaning "the size chosen for the whole environment". */
export const SHARED_SIZE = 'shared';
/** How many gateways the form offers; the spec itself sets no limit, the quota does. */
export const MAX_MEMBERS = 8;

export interface MemberEntry { name: string; size: string }

/** The members in the order shown: fields `gateways.<i>.name` and `gateways.<i>.size`, by index (gaps skipped). */
export function memberEntries(form: { keys(): Iterable<string>; get(name: string): unknown }): MemberEntry[] {
  const indexes = new Set<number>();
  for (const key of form.keys()) {
    const match = /^gateways\.(\d+)\.name$/.exec(key);
    if (match) indexes.add(Number(match[1]));
  }
  const field = (name: string) => String(form.get(name) ?? '').trim();
  return [...indexes].sort((a, b) => a - b).map((i) => ({ name: field(`gateways.${i}.name`), size: field(`gateways.${i}.size`) || SHARED_SIZE }));
}

/** Every member gets the shared gateway fields and its name; its own preset, when it chose one, replaces the shared size. */
export function stackSpec(members: readonly MemberEntry[], gateway: Record<string, unknown>): { gateways: Record<string, unknown>[] } {
  return {
    gateways: members.map((m) => {
      const preset = SIZE_PRESETS.find((p) => p.value === m.size);
      return { ...gateway, name: m.name, ...(preset ? { memory: preset.memory, cpus: preset.cpus } : {}) };
    }),
  };
}
