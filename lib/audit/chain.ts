import { createHash } from 'node:crypto';

// Each audit entry's hash covers a canonical form of its fields and the previous entry's hash, so editing,
// deleting or reordering any entry breaks every hash after it.

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  tenantId: string | null;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  result: string;
  sourceIp: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: unknown;
}

/** JSON with object keys sorted at every depth, so the same value always serialises the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const CHAINED_KEYS: readonly (keyof ChainedFields)[] = ['tenantId', 'occurredAt', 'actorType', 'actorId', 'actorLabel',
  'action', 'resourceType', 'resourceId', 'result', 'sourceIp', 'userAgent', 'requestId', 'changes'];

/** Hashes exactly the chained fields (a stored row also carries its id and hashes, which are not covered). */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  const covered = Object.fromEntries(CHAINED_KEYS.map((k) => [k, fields[k]]));
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(covered)).digest('hex');
}

export interface StoredEntry extends ChainedFields { id: number; prevHash: string; hash: string }

export type ChainProblem =
  | { kind: 'edited'; id: number }
  | { kind: 'broken-link'; id: number; expectedPrevHash: string };

/** Walks entries in id order; reports the first entry whose content or link does not match. */
export function verifyChain(entries: readonly StoredEntry[]): { ok: boolean; checked: number; problem?: ChainProblem } {
  let prev = GENESIS_HASH;
  for (const e of entries) {
    if (e.prevHash !== prev) return { ok: false, checked: entries.length, problem: { kind: 'broken-link', id: e.id, expectedPrevHash: prev } };
    if (entryHash(e.prevHash, e) !== e.hash) return { ok: false, checked: entries.length, problem: { kind: 'edited', id: e.id } };
    prev = e.hash;
  }
  return { ok: true, checked: entries.length };
}

// Words that mark a value as secret: such keys are replaced before a change summary is stored.
const SECRET_KEY = /password|secret|credential|authorization|cookie|token$|key$/i;

/** Copies a change summary with every secret-looking field replaced, at any depth. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) =>
    [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v)]));
}
