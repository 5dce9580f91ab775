/**
 * Preparing host folders before a gateway mounts them: create what is missing with safe modes, hand it to the
 * gateway's user when we can (root), and REPORT — never silently fix — folders and secret files that already exist
 * with modes or owners that are wrong. A dry run only looks.
 */
import { chmod, chown, mkdir, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { GATEWAY_GID, GATEWAY_UID, type ProjectDirKind } from './constants';

export type HostDirKind = ProjectDirKind;

export interface HostDirRequest {
  /** The spec field this path came from, echoed in the report. */
  field: string;
  /** Absolute host path. */
  hostPath: string;
  kind: HostDirKind;
  /** A folder to create (default), or a file that must already exist (e.g. one secret). */
  type?: 'directory' | 'file';
}

export interface PrepareOptions {
  /** Owner the gateway runs as; 2003:2003 in the official image. */
  uid?: number;
  gid?: number;
  /** Whether we may chown; defaults to running as root. */
  asRoot?: boolean;
  dryRun?: boolean;
  /** Compare owners with uid/gid; defaults to true on Linux (Docker Desktop maps owners itself). */
  checkOwnership?: boolean;
  /** Compare modes; defaults to false on Windows, where POSIX modes mean nothing. */
  checkModes?: boolean;
}

export interface CreatedPath {
  field: string;
  kind: HostDirKind;
  path: string;
  mode: number;
  /** Set when the folder was (or would be) handed to the gateway user. */
  owner?: { uid: number; gid: number };
}

export interface ExistingPath {
  field: string;
  kind: HostDirKind;
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export type HostPathProblemCode =
  | 'mode-too-open'
  | 'wrong-owner'
  | 'secret-readable'
  | 'not-a-directory'
  | 'not-a-file'
  | 'missing-file'
  | 'owner-not-set';

export interface HostPathProblem {
  field: string;
  kind: HostDirKind;
  path: string;
  code: HostPathProblemCode;
  message: string;
  /** A command or step that fixes it. */
  fix: string;
}

export interface HostDirReport {
  dryRun: boolean;
  created: CreatedPath[];
  unchanged: ExistingPath[];
  problems: HostPathProblem[];
}

export const SECRETS_DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;
export const DEFAULT_DIR_MODE = 0o750;

export function directoryModeFor(kind: HostDirKind): number {
  return kind === 'secrets' ? SECRETS_DIR_MODE : DEFAULT_DIR_MODE;
}

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

interface Settings {
  uid: number;
  gid: number;
  asRoot: boolean;
  dryRun: boolean;
  checkOwnership: boolean;
  checkModes: boolean;
}

export async function prepareHostDirectories(
  requests: readonly HostDirRequest[],
  options: PrepareOptions = {},
): Promise<HostDirReport> {
  const settings: Settings = {
    uid: options.uid ?? GATEWAY_UID,
    gid: options.gid ?? GATEWAY_GID,
    asRoot: options.asRoot ?? process.getuid?.() === 0,
    dryRun: options.dryRun ?? false,
    checkOwnership: options.checkOwnership ?? process.platform === 'linux',
    checkModes: options.checkModes ?? process.platform !== 'win32',
  };
  const report: HostDirReport = { dryRun: settings.dryRun, created: [], unchanged: [], problems: [] };
  const handled = new Set<string>();
  for (const request of requests) {
    const existing = await statOrUndefined(request.hostPath);
    if (existing) {
      if (!handled.has(request.hostPath)) await inspectExisting(request, existing, settings, report);
    } else if ((request.type ?? 'directory') === 'directory') {
      await createChain(request, request.hostPath, settings, report, handled);
    } else {
      await createChain(request, dirname(request.hostPath), settings, report, handled);
      const fix = request.kind === 'secrets' ? 'write the secret there (mode 600)' : 'add the file or fix the spec';
      report.problems.push(problem(request, request.hostPath, 'missing-file', 'does not exist', fix));
    }
    handled.add(request.hostPath);
  }
  return report;
}

/** Creates `target` and any missing parents with the kind's mode, recording each. */
async function createChain(
  request: HostDirRequest,
  target: string,
  settings: Settings,
  report: HostDirReport,
  handled: Set<string>,
): Promise<void> {
  const missing: string[] = [];
  let current = target;
  let ancestor = await statOrUndefined(current);
  while (!ancestor && !handled.has(current)) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
    ancestor = await statOrUndefined(current);
  }
  if (ancestor && !ancestor.isDirectory()) {
    report.problems.push(
      problem(request, current, 'not-a-directory', 'is a file where a folder is needed', 'move the file away'),
    );
    return;
  }
  const mode = directoryModeFor(request.kind);
  for (const path of missing) {
    if (!settings.dryRun) {
      await mkdir(path, { mode });
      await chmod(path, mode); // mkdir's mode is filtered by the umask
      if (settings.asRoot) await chown(path, settings.uid, settings.gid);
    }
    handled.add(path);
    const owner = settings.asRoot ? { uid: settings.uid, gid: settings.gid } : undefined;
    report.created.push({ field: request.field, kind: request.kind, path, mode, ...(owner ? { owner } : {}) });
    if (!settings.asRoot && settings.checkOwnership) {
      report.problems.push(
        problem(
          request,
          path,
          'owner-not-set',
          `created without root, so it is not owned by the gateway user ${settings.uid}:${settings.gid}`,
          `sudo chown ${settings.uid}:${settings.gid} '${path}'`,
        ),
      );
    }
  }
}

async function inspectExisting(request: HostDirRequest, stats: Stats, settings: Settings, report: HostDirReport) {
  const path = request.hostPath;
  const wantDirectory = (request.type ?? 'directory') === 'directory';
  if (wantDirectory && !stats.isDirectory()) {
    report.problems.push(problem(request, path, 'not-a-directory', 'is not a folder', 'move it away or fix the spec'));
    return;
  }
  if (!wantDirectory && !stats.isFile()) {
    report.problems.push(problem(request, path, 'not-a-file', 'is not a regular file', 'fix the spec path'));
    return;
  }
  report.unchanged.push({
    field: request.field,
    kind: request.kind,
    path,
    mode: stats.mode & 0o777,
    uid: stats.uid,
    gid: stats.gid,
  });
  if (stats.isDirectory()) {
    checkMode(request, path, stats, directoryModeFor(request.kind), settings, report);
    checkOwner(request, path, stats, settings, report);
    if (request.kind === 'secrets') await inspectSecretFiles(request, path, settings, report);
  } else if (request.kind === 'secrets') {
    checkSecretFile(request, path, stats, settings, report);
  }
}

async function inspectSecretFiles(request: HostDirRequest, folder: string, settings: Settings, report: HostDirReport) {
  for (const name of (await readdir(folder)).sort()) {
    const path = join(folder, name);
    const stats = await statOrUndefined(path);
    if (stats?.isFile()) checkSecretFile(request, path, stats, settings, report);
  }
}

function checkSecretFile(request: HostDirRequest, path: string, stats: Stats, settings: Settings, report: HostDirReport) {
  if (settings.checkModes && stats.mode & 0o077) {
    report.problems.push(
      problem(
        request,
        path,
        'secret-readable',
        `secret file has mode ${octal(stats.mode)}, so group or others can read it`,
        `chmod 600 '${path}'`,
      ),
    );
  }
  checkOwner(request, path, stats, settings, report);
}

function checkMode(
  request: HostDirRequest,
  path: string,
  stats: Stats,
  expected: number,
  settings: Settings,
  report: HostDirReport,
) {
  if (!settings.checkModes || (stats.mode & 0o777 & ~expected) === 0) return;
  report.problems.push(
    problem(
      request,
      path,
      'mode-too-open',
      `has mode ${octal(stats.mode)}, more open than ${octal(expected)}`,
      `chmod ${octal(expected).slice(1)} '${path}'`,
    ),
  );
}

function checkOwner(request: HostDirRequest, path: string, stats: Stats, settings: Settings, report: HostDirReport) {
  if (!settings.checkOwnership || (stats.uid === settings.uid && stats.gid === settings.gid)) return;
  report.problems.push(
    problem(
      request,
      path,
      'wrong-owner',
      `is owned by ${stats.uid}:${stats.gid}, but the gateway runs as ${settings.uid}:${settings.gid}`,
      `sudo chown ${settings.uid}:${settings.gid} '${path}'`,
    ),
  );
}

function problem(
  request: HostDirRequest,
  path: string,
  code: HostPathProblemCode,
  message: string,
  fix: string,
): HostPathProblem {
  return { field: request.field, kind: request.kind, path, code, message, fix };
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** One line per action and problem, for a CLI. */
export function formatHostDirReport(report: HostDirReport): string[] {
  const verb = report.dryRun ? 'would create' : 'created';
  return [
    ...report.created.map((item) => `${verb} ${item.path} (${octal(item.mode)}) for ${item.field}`),
    ...report.problems.map((item) => `problem: ${item.path} ${item.message} (${item.field}); fix: ${item.fix}`),
  ];
}
