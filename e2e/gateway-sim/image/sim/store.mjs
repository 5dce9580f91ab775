// Everything the gateway keeps lives under the data folder, so it survives re-creating the container on the
// same volume and upgrading the image: data/projects/<name>/ (like a real gateway) and the simulator's state.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';

export const SEED_MARKER = '.sim-seed-complete';
const PROJECT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$/;

export class StoreError extends Error {}

export function assertProjectName(name) {
  if (!PROJECT_NAME.test(name)) {
    throw new StoreError(`project name "${name}" is invalid; use letters, digits, '_' and '-' (at most 128)`);
  }
}

/** Refuses paths that could escape the folder they are written to (zip slip). */
export function assertSafeRelativePath(path) {
  const parts = path.split('/');
  if (path.startsWith('/') || path.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new StoreError(`archive entry "${path}" is not a plain relative path; remove it from the archive`);
  }
}

export function createStore(dataDir) {
  const projectsDir = join(dataDir, 'projects');
  const stateFile = join(dataDir, 'simulator', 'state.json');
  const scratchDir = join(dataDir, 'simulator', 'scratch');

  // Builds a folder aside, then swaps it in, so a failed write never leaves half a project.
  function swapInFolder(target, files) {
    const staging = join(scratchDir, randomUUID());
    for (const [path, content] of files) writeFile(join(staging, path), content);
    mkdirSync(staging, { recursive: true });
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }

  return {
    dataDir,
    readState() {
      return existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
    },
    updateState(patch) {
      const next = { ...this.readState(), ...patch };
      writeFile(stateFile, JSON.stringify(next, null, 2));
      return next;
    },
    hasSeedMarker: () => existsSync(join(dataDir, SEED_MARKER)),
    writeSeedMarker: () => writeFile(join(dataDir, SEED_MARKER), `${new Date().toISOString()}\n`),
    listProjectNames() {
      if (!existsSync(projectsDir)) return [];
      return readdirSync(projectsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && PROJECT_NAME.test(e.name))
        .map((e) => e.name)
        .sort();
    },
    projectExists: (name) => existsSync(join(projectsDir, name, 'project.json')),
    readProjectFiles: (name) => readTree(join(projectsDir, name)),
    replaceProject(name, files) {
      assertProjectName(name);
      swapInFolder(join(projectsDir, name), files);
    },
    /** @param {Map<string, Map<string, Buffer>>} projects */
    replaceAllProjects(projects) {
      const files = new Map();
      for (const [name, projectFiles] of projects) {
        for (const [path, content] of projectFiles) files.set(`${name}/${path}`, content);
      }
      swapInFolder(projectsDir, files);
    },
  };
}

function writeFile(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** @returns {Map<string, Buffer>} relative path -> content, for every file under dir. */
function readTree(dir, prefix = '', into = new Map()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) readTree(join(dir, entry.name), relative, into);
    else if (entry.isFile()) into.set(relative, readFileSync(join(dir, entry.name)));
  }
  return into;
}
