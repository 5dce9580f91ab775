// Modules deployed to an environment: Switchyard's list (modules/deployed.json) in the environment's folder, beside
// the .modl files it names. It is an input of the environment's plan, so every provision, change, start, restart and
// reconciler check mounts the same files and accepts the same ids; a re-created container keeps its modules.
import { readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { GATEWAY_GID, GATEWAY_UID } from '@/lib/paths';

export const MODULES_FOLDER = 'modules';
const MANIFEST = `${MODULES_FOLDER}/deployed.json`;
/** Module ids as ACCEPT_MODULE_* (and lib/gateway's modules.accept) take them. */
export const MODULE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;
export const DIR_MODE = 0o755;
export const FILE_MODE = 0o644;

/**
 * Each version in a folder named by its content, so a new version is a new mount source (and spec hash): the
 * runtime sees a changed container and re-creates it, where the same path with new bytes would look unchanged.
 */
export const moduleFile = (id: string, sha256: string) => `${MODULES_FOLDER}/${sha256.slice(0, 16)}/${id}.modl`;

const fields = z.object({
  id: z.string().regex(MODULE_ID),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  versionId: z.string(),
  artifactName: z.string(),
  versionNumber: z.number().int(),
  moduleVersion: z.string(),
  deploymentId: z.string(),
});
const fileMatches = [(m: { id: string; file: string; sha256: string }) => m.file === moduleFile(m.id, m.sha256), { message: 'file does not match its id and hash' }] as const;
const entry = fields.refine(...fileMatches);

export type DeployedModuleEntry = z.output<typeof entry>;
/** While a deploy replaces a module, the entry it replaced, put back if the deploy fails. */
export type DeployedModule = DeployedModuleEntry & { previous: DeployedModuleEntry | null };

const manifest = z.object({ modules: z.array(fields.extend({ previous: entry.nullable().default(null) }).refine(...fileMatches)) });

/** The environment's deployed modules, in the order they were first deployed; none when the list does not exist. */
export function readDeployedModules(environmentFolder: string): DeployedModule[] {
  const where = path.join(environmentFolder, MANIFEST);
  let text: string;
  try {
    text = readFileSync(where, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    return manifest.parse(JSON.parse(text)).modules;
  } catch (err) {
    // Dropping the list silently would take modules off a gateway; the plan fails in words instead.
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (err as Error).message;
    throw new Error(`the environment's list of deployed modules (${where}) is damaged (${why}); restore it, or remove it and deploy the modules again`);
  }
}

/** Replaces the list in one rename, so a plan never reads half of it. */
export async function writeDeployedModules(environmentFolder: string, modules: readonly DeployedModule[]): Promise<void> {
  const where = path.join(environmentFolder, MANIFEST);
  await gatewayReadableDir(path.dirname(where));
  const temporary = `${where}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ modules }, null, 2)}\n`, { mode: FILE_MODE });
  await rename(temporary, where);
}

/** Folders and stray files under modules/ that no listed module uses (replaced versions, interrupted downloads). */
export async function pruneModuleFiles(environmentFolder: string, modules: readonly DeployedModule[]): Promise<string[]> {
  const root = path.join(environmentFolder, MODULES_FOLDER);
  const kept = new Set(modules.flatMap((m) => [m, ...(m.previous ? [m.previous] : [])]).map((m) => m.file.split('/')[1]));
  const names = await readdir(root).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  const removed = names.filter((name) => name !== path.basename(MANIFEST) && !kept.has(name));
  for (const name of removed) await rm(path.join(root, name), { recursive: true, force: true });
  return removed;
}

const asRoot = () => process.getuid?.() === 0;

/** A folder the gateway user can list and read (handed to it when we are root). */
export async function gatewayReadableDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await chmod(dir, DIR_MODE);
  if (asRoot()) await chown(dir, GATEWAY_UID, GATEWAY_GID);
}

/** A file the gateway user reads: 0644, owned by it when we are root. */
export async function gatewayReadableFile(file: string): Promise<void> {
  await chmod(file, FILE_MODE);
  if (asRoot()) await chown(file, GATEWAY_UID, GATEWAY_GID);
}
