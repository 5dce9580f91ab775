/**
 * A path was refused. `field` names where it came from (a spec field, an option); `value` is the path with
 * control characters escaped and very long values shortened, so it is safe to print; `reason` says what to do.
 */
export class PathError extends Error {
  readonly value: string;

  constructor(
    readonly field: string,
    value: string,
    readonly reason: string,
  ) {
    const printable = printablePath(value);
    super(`${field}: ${reason} (got "${printable}")`);
    this.name = 'PathError';
    this.value = printable;
  }
}

/** Escapes control characters and quotes (JSON rules) and shortens very long values, keeping both ends. */
export function printablePath(value: string): string {
  const shortened = value.length > 300 ? `${value.slice(0, 150)}...${value.slice(-100)}` : value;
  return JSON.stringify(shortened).slice(1, -1);
}
