// How the console reads and writes the few spec fields it offers. The API owns validation; this only shapes input.

export const SIZE_PRESETS = [
  { value: 'small', label: 'Small: 1 GiB, 1 CPU', memory: '1GiB', cpus: 1 },
  { value: 'medium', label: 'Medium: 2 GiB, 2 CPU', memory: '2GiB', cpus: 2 },
  { value: 'large', label: 'Large: 4 GiB, 4 CPU', memory: '4GiB', cpus: 4 },
] as const;
export const CUSTOM_SIZE = 'custom';

export const EDITIONS = ['standard', 'edge', 'maker', 'cloud'] as const;
export const STAGES = ['dev', 'staging', 'prod'] as const;
export const DEFAULT_VERSION = '8.3.4';

export interface MemberSummary { name: string; memory: string; cpus: number }
export interface SpecSummary { version: string; edition: string; memory: string; cpus: number; members: MemberSummary[] }

const asObject = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {}) as Record<string, unknown>;
const text = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);
const memoryOf = (s: Record<string, unknown>) => (typeof s.memory === 'number' ? `${s.memory}MiB` : text(s.memory, '2GiB'));
const cpusOf = (s: Record<string, unknown>) => (typeof s.cpus === 'number' ? s.cpus : 1);

/**
 * The spec as stored (what the person asked for), with the API's defaults for what they left out. A stack is summed up
 * by its first gateway (version, edition, size), and lists every member with its own size; a single gateway has none.
 */
export function summarizeSpec(spec: unknown): SpecSummary {
  const root = asObject(spec);
  const gateways = Array.isArray(root.gateways) ? root.gateways.map(asObject) : [];
  const s = gateways[0] ?? root;
  const members = gateways.map((g, i) => ({ name: text(g.name, `#${i + 1}`), memory: memoryOf(g), cpus: cpusOf(g) }));
  return { version: text(s.version, '—'), edition: text(s.edition, 'standard'), memory: memoryOf(s), cpus: cpusOf(s), members };
}

/** The spec with a new size: a single gateway's, or every member's of a stack (a stack's size changes as a whole). */
export function resizeSpec(spec: unknown, size: { memory: string; cpus: number | string }): Record<string, unknown> {
  const root = asObject(spec);
  if (!Array.isArray(root.gateways)) return { ...root, ...size };
  return { ...root, gateways: root.gateways.map((g) => ({ ...asObject(g), ...size })) };
}

/** Memory and CPUs from a size preset, or from the custom fields (left as typed, so the API names what is wrong). */
export function sizeFromForm(preset: string, customMemory: string, customCpus: string): { memory: string; cpus: number | string } {
  const chosen = SIZE_PRESETS.find((p) => p.value === preset);
  if (chosen) return { memory: chosen.memory, cpus: chosen.cpus };
  const cpus = Number(customCpus);
  return { memory: customMemory, cpus: customCpus !== '' && Number.isFinite(cpus) ? cpus : customCpus };
}

/** Milliseconds between two ISO times as "1.2 s" / "2 min 5 s"; "running" when not finished. */
export function stepDuration(startedAt: string, finishedAt: string | null): string {
  if (!finishedAt) return 'running';
  const ms = Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt));
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A job is active (worth refreshing the page for) while it is queued or running. */
export function isActiveJob(job: { status: string } | null | undefined): boolean {
  return job?.status === 'queued' || job?.status === 'running';
}

/** The advanced YAML field as a mapping; an error sentence when it is not one. */
export function parseExtraSpec(text: string, parse: (text: string) => unknown): { fields: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { fields: {} };
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    return { error: `Not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'Write spec fields as a mapping, e.g. "timezone: UTC".' };
  return { fields: value as Record<string, unknown> };
}

/** Spec fields the console's forms show; their messages go under them without the field's name. */
const FORM_SPEC_FIELDS = new Set(['spec.version', 'spec.edition', 'spec.memory', 'spec.cpus']);
const MEMBER_FIELD = /^spec\.gateways\[(\d+)\](?:\.([\w.[\]]+))?$/;

/**
 * Where a message about a stack member goes, and how it reads: the member's name field, or the shared field the form
 * fills every member from, or (anything else) the form's message; always naming the gateway by its place in the list.
 */
function memberMessage(key: string, message: string): { key: string; message: string } | null {
  const match = MEMBER_FIELD.exec(key);
  if (!match) return null;
  const [, index, field] = match;
  const who = `gateway ${Number(index) + 1}`;
  if (field === 'name') return { key: `gateways.${index}.name`, message: `${who}: ${message}` };
  if (field && FORM_SPEC_FIELDS.has(`spec.${field}`)) return { key: `spec.${field}`, message: `${who}: ${message}` };
  return { key, message: `${who}${field ? `, ${field}` : ''}: ${message}` };
}

/**
 * The API reports every spec problem in one sentence ("spec.version: ...; spec.memory: ...") under the first field.
 * Spread them out so each message sits under its own field (a stack member's under that member's fields).
 */
export function spreadSpecErrors(fieldErrors: Record<string, string[] | undefined> | undefined): Record<string, string[] | undefined> | undefined {
  if (!fieldErrors) return fieldErrors;
  const spread: Record<string, string[] | undefined> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    for (const message of messages ?? []) {
      // Split only where the next problem starts (a message may hold "; " itself).
      const parts = field.startsWith('spec') ? message.split(/; (?=spec[\w.[\]]*: )/) : [message];
      for (const part of parts) {
        const named = /^(spec(?:\.[\w.[\]]+)?): (.*)$/s.exec(part);
        const member = named ? memberMessage(named[1]!, named[2]!) : null;
        const key = member?.key ?? named?.[1] ?? field;
        (spread[key] ??= []).push(member?.message ?? (named && FORM_SPEC_FIELDS.has(key) ? named[2]! : part));
      }
    }
  }
  return spread;
}
