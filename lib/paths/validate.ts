/**
 * Validation of paths named in a spec. Spec paths are relative to the project root, written with `/` (a `\` is
 * read as a separator too, so a Windows user's `modules\x.modl` means the same file everywhere).
 */
import { lstat, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { assertCleanCharacters, assertLength, assertNoReservedNames, assertNotUnc, type LengthRules } from './checks';
import { PathError } from './errors';
import { isWindowsDrivePath } from './host-path';

/**
 * Checks a project-relative spec path without touching the disk and returns it normalized (`a/b`, no `./`,
 * no trailing `/`). Refuses absolute, UNC, escaping (`..` above the root), reserved-name and overlong paths.
 */
export function validateRelativeSpecPath(field: string, value: string, rules: LengthRules = {}): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PathError(field, String(value ?? ''), 'is empty; give a path relative to the project root');
  }
  assertCleanCharacters(field, value);
  assertNotUnc(field, value);
  if (value.startsWith('/') || value.startsWith('\\') || isWindowsDrivePath(value) || /^[A-Za-z]:/.test(value)) {
    throw new PathError(field, value, 'must be relative to the project root (e.g. modules/vendor.modl), not absolute');
  }
  const slashed = value.replace(/\\/g, '/');
  const components = slashed.split('/').filter((part) => part !== '' && part !== '.');
  if (components.some((part) => part.includes(':'))) {
    throw new PathError(field, value, 'contains ":", which Windows and Compose volume syntax cannot take; rename it');
  }
  assertNoReservedNames(field, value, components);
  const normalized = posix.normalize(slashed).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new PathError(field, value, 'climbs out of the project with ".."; keep files inside the project folder');
  }
  if (normalized === '.' || normalized === '') {
    throw new PathError(field, value, 'points at the project root itself; name a file or folder inside it');
  }
  assertLength(field, normalized, rules);
  return normalized;
}

/** True when `candidate` is `root` or lies below it (both absolute, same style). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

export interface ResolveOptions extends LengthRules {
  projectRoot: string;
  /** The path must exist (a file to mount); otherwise only its existing ancestors are checked. */
  mustExist?: boolean;
  /** Roots the real path may end up in; defaults to the project root. */
  allowedRoots?: readonly string[];
}

export interface ResolvedSpecPath {
  field: string;
  /** The normalized project-relative path. */
  relative: string;
  /** Absolute real path (symlinks resolved) when it exists, else the project root's real path joined with it. */
  absolutePath: string;
  exists: boolean;
}

/**
 * Validates a spec path and resolves it on disk, following symlinks with realpath: a link that leads out of the
 * allowed roots is refused, as is a missing path when `mustExist` is set.
 */
export async function resolveSpecPath(field: string, value: string, options: ResolveOptions): Promise<ResolvedSpecPath> {
  const relativePath = validateRelativeSpecPath(field, value, options);
  const realRoot = await realProjectRoot(field, options.projectRoot);
  const allowedRoots = await Promise.all(
    (options.allowedRoots ?? [options.projectRoot]).map((root) => realpath(root).catch(() => resolve(root))),
  );
  const candidate = join(realRoot, ...relativePath.split('/'));
  const existing = await nearestExisting(candidate);
  const realExisting = await realpath(existing).catch(() => {
    throw new PathError(field, value, 'is a broken symbolic link; point it at a real file or remove it');
  });
  const exists = existing === candidate;
  const absolutePath = exists ? realExisting : join(realExisting, relative(existing, candidate));
  if (!allowedRoots.some((root) => isInside(root, absolutePath))) {
    throw new PathError(
      field,
      value,
      'leads outside the project through a symbolic link; replace the link with the real file or folder',
    );
  }
  if (!exists && options.mustExist) {
    throw new PathError(field, value, `does not exist under the project root ${realRoot}; add the file or fix the spec`);
  }
  assertLength(field, absolutePath, options);
  return { field, relative: relativePath, absolutePath, exists };
}

/**
 * Confirms that a bind source (as rendered into Compose or a container) is the file the spec names: same real
 * path, and present when it must be.
 */
export async function verifyBindSource(
  field: string,
  bind: { specValue: string; source: string },
  options: ResolveOptions,
): Promise<ResolvedSpecPath> {
  const expected = await resolveSpecPath(field, bind.specValue, options);
  const actual = await realpath(bind.source).catch(() => resolve(bind.source));
  if (actual !== expected.absolutePath) {
    throw new PathError(
      field,
      bind.source,
      `resolves to ${actual}, but the spec value "${bind.specValue}" means ${expected.absolutePath}; re-render the mounts`,
    );
  }
  return expected;
}

async function realProjectRoot(field: string, projectRoot: string): Promise<string> {
  try {
    return await realpath(projectRoot);
  } catch {
    throw new PathError(field, projectRoot, 'the project root does not exist; check --project or the working folder');
  }
}

async function nearestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await lstat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}
