/** One problem in a gateway specification, located by the field path a person can find in their YAML. */
export interface SpecIssue {
  /** e.g. `gateways[0].memory`; empty for the document itself. */
  path: string;
  message: string;
}

/** Thrown when a specification is invalid; `issues` lists every problem found, not only the first. */
export class SpecError extends Error {
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(`invalid gateway specification:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'SpecError';
    this.issues = issues;
  }
}

export function formatIssue(issue: SpecIssue): string {
  return issue.path ? `  ${issue.path}: ${issue.message}` : `  ${issue.message}`;
}

/** ['gateways', 0, 'memory'] -> `gateways[0].memory`. Keys that are not identifiers are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) out += out ? `.${key}` : key;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Joins a child key onto an already formatted path. */
export function childPath(parent: string, ...keys: PropertyKey[]): string {
  const tail = formatPath(keys);
  if (!parent) return tail;
  return tail.startsWith('[') ? parent + tail : `${parent}.${tail}`;
}
