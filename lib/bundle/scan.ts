/**
 * scanBundle: what a project folder holds, ready to be wired into a gateway spec. Every bad file becomes a
 * problem naming it; the scan itself only fails when the project root is missing or the target version is invalid.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { PROJECT_DIRS } from '../paths/constants';
import { PathError } from '../paths/errors';
import { resolveSpecPath } from '../paths/validate';
import { parseIgnitionVersion } from '../version';
import { foundFile, type LocatedFile } from './archive';
import { readBackupFile } from './backups';
import { sha256File } from './hash';
import { readJdbcJar } from './jdbc';
import { readModuleFile } from './modules';
import { ProblemLog } from './problems';
import { readSecretFile } from './secrets';
import type { BundleScan, ScanOptions } from './types';

export async function scanBundle(projectRoot: string, options: ScanOptions = {}): Promise<BundleScan> {
  const target = options.targetVersion === undefined ? undefined : parseIgnitionVersion(options.targetVersion);
  const root = await realpath(projectRoot).catch(() => {
    throw new PathError('projectRoot', projectRoot, 'the project folder does not exist');
  });
  const log = new ProblemLog();
  const scan: BundleScan = {
    root,
    ...(options.targetVersion === undefined ? {} : { targetVersion: options.targetVersion }),
    licenses: [],
    modules: [],
    jdbcDrivers: [],
    backups: [],
    secrets: [],
    problems: log.problems,
  };

  for (const file of await hashed(await locate(root, PROJECT_DIRS.licenses, log))) scan.licenses.push(foundFile(file));

  for (const file of await hashed(await locate(root, PROJECT_DIRS.modules, log, '.modl'))) {
    const found = await readModuleFile(file, log, target);
    const clash = found && scan.modules.find((other) => other.id === found.id);
    if (clash) {
      log.error(file.path, 'duplicate-module', `has module id ${found.id}, already provided by ${clash.path}; keep one`);
    } else if (found) {
      scan.modules.push(found);
    }
  }

  for (const file of await hashed(await locate(root, PROJECT_DIRS.jdbc, log, '.jar'))) {
    const jar = await readJdbcJar(file, log);
    if (jar) scan.jdbcDrivers.push(jar);
  }

  for (const file of await hashed(await locate(root, PROJECT_DIRS.backups, log, '.gwbk'))) {
    const backup = await readBackupFile(file, log, target);
    if (backup) scan.backups.push(backup);
  }

  // Secrets are not hashed: a hash of a short password can be brute-forced offline.
  for (const file of await locate(root, PROJECT_DIRS.secrets, log)) {
    const secret = await readSecretFile(file, log);
    if (secret) scan.secrets.push(secret);
  }
  return scan;
}

interface Located {
  path: string;
  absolutePath: string;
  sizeBytes: number;
  name: string;
}

/**
 * Regular files directly inside `folder`, sorted, hidden files skipped, each checked to stay inside the project
 * (a symlink that leads out is a problem, not a file). A missing folder holds nothing.
 */
async function locate(root: string, folder: string, log: ProblemLog, extension?: string): Promise<Located[]> {
  let names: string[];
  try {
    names = (await readdir(`${root}/${folder}`)).sort();
  } catch {
    return [];
  }
  const found: Located[] = [];
  for (const name of names.filter((entry) => !entry.startsWith('.'))) {
    const path = `${folder}/${name}`;
    let absolutePath: string;
    try {
      absolutePath = (await resolveSpecPath(path, path, { projectRoot: root, mustExist: true })).absolutePath;
    } catch (error) {
      if (!(error instanceof PathError)) throw error;
      log.error(path, 'unsafe-path', error.message);
      continue;
    }
    const info = await stat(absolutePath);
    if (!info.isFile()) {
      log.warning(path, 'unexpected-file', `is not a regular file; only files directly in ${folder}/ are used`);
    } else if (extension && !name.toLowerCase().endsWith(extension)) {
      log.warning(path, 'unexpected-file', `is ignored: only *${extension} files in ${folder}/ are used`);
    } else {
      found.push({ path, absolutePath, sizeBytes: info.size, name });
    }
  }
  return found;
}

async function hashed(files: Located[]): Promise<LocatedFile[]> {
  const result: LocatedFile[] = [];
  for (const file of files) result.push({ ...file, sha256: await sha256File(file.absolutePath) });
  return result;
}
