// Project export/import as zip files: project.json at the root, resources below <moduleId>/<typeId>/...
import { ApiError } from './http.mjs';
import { assertProjectName, assertSafeRelativePath } from './store.mjs';
import { ZipError, readZip, writeZip } from './zip.mjs';

export function listProjects(store) {
  return store.listProjectNames().map((name) => {
    const manifest = readManifest(store.readProjectFiles(name).get('project.json'));
    return {
      name,
      title: manifest.title ?? name,
      description: manifest.description ?? '',
      enabled: manifest.enabled ?? true,
      inheritable: manifest.inheritable ?? false,
      parent: manifest.parent ?? null,
    };
  });
}

export function exportProject(store, name) {
  assertProjectName(name);
  if (!store.projectExists(name)) {
    throw new ApiError(404, `project "${name}" not found; GET /data/api/v1/projects/list shows the projects`);
  }
  return writeZip([...store.readProjectFiles(name)].sort(([a], [b]) => a.localeCompare(b)));
}

/** @returns {{ name: string, overwritten: boolean, files: number }} */
export function importProject(store, name, body, overwrite) {
  assertProjectName(name);
  const exists = store.projectExists(name);
  if (exists && !overwrite) {
    throw new ApiError(409, `project "${name}" already exists; add ?overwrite=true to replace it`);
  }
  const files = unzipProject(body, `project "${name}"`);
  store.replaceProject(name, files);
  return { name, overwritten: exists, files: files.size };
}

/** Reads and checks a project zip; `what` names it in errors. */
export function unzipProject(body, what) {
  const files = unzipBody(body, what);
  if (!files.has('project.json')) {
    throw new ApiError(400, `${what} has no project.json at the top of the zip; export the project from a gateway`);
  }
  readManifest(files.get('project.json'), what);
  return files;
}

export function unzipBody(body, what) {
  if (body.length === 0) throw new ApiError(400, `${what}: the request body is empty; send the zip file as the body`);
  let files;
  try {
    files = readZip(body);
  } catch (cause) {
    if (cause instanceof ZipError) throw new ApiError(400, `${what} is not a readable zip file: ${cause.message}`);
    throw cause;
  }
  for (const path of files.keys()) assertSafeRelativePath(path);
  return files;
}

function readManifest(content, what = 'project') {
  try {
    const manifest = JSON.parse(content?.toString('utf8') ?? '{}');
    if (manifest && typeof manifest === 'object' && !Array.isArray(manifest)) return manifest;
  } catch {
    // reported below
  }
  throw new ApiError(400, `${what}: project.json is not a JSON object`);
}

