// The audit filters live in the page's query string, so a filtered view can be bookmarked and shared.
export const FILTER_KEYS = ['actor', 'action', 'resourceType', 'result', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<FilterKey, string>>;
const RESULTS = ['success', 'denied', 'error'] as const;

export function readFilters(params: Record<string, string | string[] | undefined>): AuditFilters {
  const out: AuditFilters = {};
  for (const key of FILTER_KEYS) {
    const v = params[key];
    const value = (Array.isArray(v) ? v[0] : v)?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/** The filters as the API takes them: a bare "to" date means the end of that day (UTC). */
export function apiFilters(f: AuditFilters) {
  const to = f.to && /^\d{4}-\d{2}-\d{2}$/.test(f.to) ? `${f.to}T23:59:59.999Z` : f.to;
  const result = RESULTS.find((r) => r === f.result);
  return { actor: f.actor, action: f.action, resourceType: f.resourceType, result, from: f.from, to };
}

/** A query string of the given values, leaving out blanks. */
export function queryString(values: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
