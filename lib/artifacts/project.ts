/** Inspecting a project export: project.json's fields and an inventory of resource folders with content hashes. */
import { createHash } from 'node:crypto';
import { ZipError, type SafeZip } from '../zip';
import { quoteUntrusted } from './descriptors';
import { findProjectRoot, MAC_METADATA_FOLDER } from './detect';
import { ArtifactRejected } from './errors';
import type { ProjectMetadata, ProjectResource } from './types';

const MAX_PROJECT_JSON_BYTES = 1024 * 1024;
const RESOURCE_FILE = 'resource.json';

export async function inspectProject(zip: SafeZip, label: string, sizeBytes: number): Promise<ProjectMetadata> {
  const root = findProjectRoot(zip);
  if (root === undefined) {
    throw new ArtifactRejected(
      'metadata-missing',
      `${label} has no project.json at its root (nor inside a single top-level folder), so it is not an Ignition ` +
        'project export; export the project from the Designer or the gateway and upload that zip',
    );
  }
  const fields = parseProjectJson(await readProjectJson(zip, `${root}project.json`, label), label);
  const inventory = await inventoryResources(zip, root);
  return { kind: 'project', sizeBytes, ...fields, rootFolder: root === '' ? null : root, ...inventory };
}

async function readProjectJson(zip: SafeZip, name: string, label: string): Promise<string> {
  const bytes = await zip.read(name, { maxBytes: MAX_PROJECT_JSON_BYTES }).catch((error: unknown) => {
    if (error instanceof ZipError && error.code === 'entry-too-large') {
      throw new ArtifactRejected('metadata-invalid', `${label}: project.json is larger than 1 MiB; it is not a project file`);
    }
    throw error;
  });
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

type ProjectFields = Pick<ProjectMetadata, 'title' | 'description' | 'parent' | 'enabled' | 'inheritable'>;

/** project.json must be an object; each known field, when present, must have its type. */
export function parseProjectJson(text: string, label: string): ProjectFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ArtifactRejected(
      'metadata-invalid',
      `${label}: project.json is not valid JSON (${(error as Error).message}); export the project again`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ArtifactRejected('metadata-invalid', `${label}: project.json is not a JSON object; export the project again`);
  }
  const record = parsed as Record<string, unknown>;
  const field = <T>(key: string, type: 'string' | 'boolean'): T | null => {
    const value = record[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== type) {
      throw new ArtifactRejected(
        'metadata-invalid',
        `${label}: project.json field "${key}" should be a ${type}, found ${quoteUntrusted(JSON.stringify(value))}; export the project again`,
      );
    }
    return value as T;
  };
  const parent = field<string>('parent', 'string');
  return {
    title: field<string>('title', 'string'),
    description: field<string>('description', 'string'),
    // Ignition writes "" for a project without a parent.
    parent: parent === null || parent.trim() === '' ? null : parent,
    enabled: field<boolean>('enabled', 'boolean'),
    inheritable: field<boolean>('inheritable', 'boolean'),
  };
}

type Inventory = Pick<ProjectMetadata, 'resources' | 'counts' | 'otherFiles'>;

/**
 * Every folder holding a resource.json at least `<moduleId>/<typeId>/` deep is a resource; each file belongs to its
 * nearest resource folder. Files are hashed in archive order so ranged reads move forward through the file.
 */
async function inventoryResources(zip: SafeZip, root: string): Promise<Inventory> {
  const files = zip.entries
    .filter((entry) => !entry.isDirectory && entry.name.startsWith(root) && !entry.name.startsWith(MAC_METADATA_FOLDER))
    .map((entry) => ({ name: entry.name, path: entry.name.slice(root.length) }))
    .filter((file) => file.path !== 'project.json');

  const folders = new Set<string>();
  for (const file of files) {
    const segments = file.path.split('/');
    if (segments.at(-1) === RESOURCE_FILE && segments.length >= 3) folders.add(segments.slice(0, -1).join('/'));
  }

  const owned = files.map((file) => ({ ...file, folder: nearestFolder(file.path, folders) }));
  const hashes = await hashInOrder(zip, owned.filter((file) => file.folder !== undefined).map((file) => file.name));
  const byFolder = new Map<string, Array<{ name: string; sha256: string }>>();
  for (const file of owned) {
    if (file.folder === undefined) continue;
    const list = byFolder.get(file.folder) ?? [];
    list.push({ name: file.path.slice(file.folder.length + 1), sha256: hashes.get(file.name)! });
    byFolder.set(file.folder, list);
  }
  const otherFiles = owned.length - owned.filter((file) => file.folder !== undefined).length;

  const resources = [...byFolder].map(([path, list]) => describeResource(path, list)).sort(byPath);
  return { resources, counts: countResources(resources), otherFiles };
}

/** Entries are inflated on libuv's thread pool: a few in flight keep both cores busy; archive order keeps reads local. */
const HASH_CONCURRENCY = 4;

async function hashInOrder(zip: SafeZip, names: readonly string[]): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      hashes.set(name, await zip.hash(name));
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_CONCURRENCY, names.length) }, worker));
  return hashes;
}

function nearestFolder(path: string, folders: ReadonlySet<string>): string | undefined {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    const folder = path.slice(0, slash);
    if (folders.has(folder)) return folder;
  }
  return undefined;
}

function describeResource(path: string, files: Array<{ name: string; sha256: string }>): ProjectResource {
  const [moduleId = '', typeId = ''] = path.split('/');
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${file.name}\u0000${file.sha256}\n`);
  }
  return { path, moduleId, typeId, singleton: path.split('/').length === 2, files: files.length, sha256: hash.digest('hex') };
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function countResources(resources: readonly ProjectResource[]): ProjectMetadata['counts'] {
  const byModule = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const resource of resources) {
    byModule.set(resource.moduleId, (byModule.get(resource.moduleId) ?? 0) + 1);
    const type = `${resource.moduleId}/${resource.typeId}`;
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  // fromEntries defines own properties, so a module id such as "__proto__" cannot reach a prototype.
  const sorted = (map: Map<string, number>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { byModule: sorted(byModule), byType: sorted(byType) };
}
