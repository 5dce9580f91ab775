/**
 * Finding the project: the nearest folder holding `switchyard.yaml`, walking up from the working folder, or an
 * explicit override. Decision: the answer is always the REAL path (symlinks resolved), because that is what
 * Docker mounts and what realpath-based containment checks compare against; a symlinked working folder walks up
 * through its target's parents, not through the link's.
 */
import { stat, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_MARKER } from './constants';
import { PathError } from './errors';

export interface ProjectRootOptions {
  /** Where to start looking; defaults to process.cwd(). */
  cwd?: string;
  /** An explicit project folder (e.g. `--project`); it must contain the marker itself. */
  override?: string;
}

export interface ProjectRoot {
  /** Real absolute path of the project folder. */
  root: string;
  /** Real absolute path of its switchyard.yaml. */
  specFile: string;
}

export async function findProjectRoot(options: ProjectRootOptions = {}): Promise<ProjectRoot> {
  if (options.override !== undefined) return explicitRoot(options.override, options.cwd);
  const start = options.cwd ?? process.cwd();
  let current = await realpath(start).catch(() => {
    throw new PathError('cwd', start, 'the working folder does not exist');
  });
  for (;;) {
    if (await hasMarker(current)) return { root: current, specFile: join(current, PROJECT_MARKER) };
    const parent = dirname(current);
    if (parent === current) {
      throw new PathError(
        'cwd',
        start,
        `no ${PROJECT_MARKER} here or in any parent folder; run inside a project or pass --project <folder>`,
      );
    }
    current = parent;
  }
}

async function explicitRoot(override: string, cwd: string | undefined): Promise<ProjectRoot> {
  const absolute = resolve(cwd ?? process.cwd(), override);
  const root = await realpath(absolute).catch(() => {
    throw new PathError('project', override, 'the project folder does not exist');
  });
  if (!(await stat(root)).isDirectory()) {
    throw new PathError('project', override, `is a file; pass the folder that holds ${PROJECT_MARKER}`);
  }
  if (!(await hasMarker(root))) {
    throw new PathError('project', override, `has no ${PROJECT_MARKER}; create one or pass the right folder`);
  }
  return { root, specFile: join(root, PROJECT_MARKER) };
}

async function hasMarker(folder: string): Promise<boolean> {
  try {
    return (await stat(join(folder, PROJECT_MARKER))).isFile();
  } catch {
    return false;
  }
}
