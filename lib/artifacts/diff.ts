/** Comparing two inspected project exports: which resources came, went or changed, and which project.json fields. */
import type { ProjectMetadata, ProjectResource } from './types';

export const PROJECT_FIELDS = ['title', 'description', 'parent', 'enabled', 'inheritable'] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

export interface ProjectFieldChange {
  field: ProjectField;
  from: string | boolean | null;
  to: string | boolean | null;
}

export interface ProjectDiff {
  /** Resource paths only in `b`, sorted. */
  added: string[];
  /** Resource paths only in `a`, sorted. */
  removed: string[];
  /** Paths in both whose content hash differs, sorted. */
  changed: string[];
  /** How many paths are in both with the same hash. */
  unchanged: number;
  /** project.json fields whose value differs, in PROJECT_FIELDS order. */
  fields: ProjectFieldChange[];
}

/** What changed from `a` (older) to `b` (newer). */
export function diffProjects(a: ProjectMetadata, b: ProjectMetadata): ProjectDiff {
  const before = new Map(a.resources.map((resource): [string, ProjectResource] => [resource.path, resource]));
  const after = new Map(b.resources.map((resource): [string, ProjectResource] => [resource.path, resource]));
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [path, resource] of after) {
    const old = before.get(path);
    if (!old) added.push(path);
    else if (old.sha256 !== resource.sha256) changed.push(path);
    else unchanged++;
  }
  const removed = [...before.keys()].filter((path) => !after.has(path));
  const fields = PROJECT_FIELDS.filter((field) => a[field] !== b[field]).map((field) => ({ field, from: a[field], to: b[field] }));
  return { added: sorted(added), removed: sorted(removed), changed: sorted(changed), unchanged, fields };
}

/** Code-unit order, the same in every locale. */
function sorted(paths: string[]): string[] {
  return paths.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}
