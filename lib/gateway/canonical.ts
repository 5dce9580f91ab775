/** Canonical JSON (object keys sorted at every level), so equal values always hash and render the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, child]) => [key, sortKeys(child)]));
  }
  return value;
}

/** A copy of a string map with its keys in code-point order. */
export function sortedRecord(record: Record<string, string>): Record<string, string> {
  return sortKeys(record) as Record<string, string>;
}
