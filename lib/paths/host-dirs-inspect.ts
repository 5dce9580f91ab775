/** Inspecting folders and secret files that already exist: report problems, never change anything. */
import type { Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  directoryModeFor,
  octal,
  type HostDirReport,
  type HostDirRequest,
  type HostPathProblem,
  type HostPathProblemCode,
  type PrepareSettings,
} from './host-dirs-types';

export async function inspectExisting(request: HostDirRequest, stats: Stats, settings: PrepareSettings, report: HostDirReport) {
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

async function inspectSecretFiles(request: HostDirRequest, folder: string, settings: PrepareSettings, report: HostDirReport) {
  for (const name of (await readdir(folder)).sort()) {
    const path = join(folder, name);
    const stats = await statOrUndefined(path);
    if (stats?.isFile()) checkSecretFile(request, path, stats, settings, report);
  }
}

function checkSecretFile(request: HostDirRequest, path: string, stats: Stats, settings: PrepareSettings, report: HostDirReport) {
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
  settings: PrepareSettings,
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

function checkOwner(request: HostDirRequest, path: string, stats: Stats, settings: PrepareSettings, report: HostDirReport) {
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

export function problem(
  request: HostDirRequest,
  path: string,
  code: HostPathProblemCode,
  message: string,
  fix: string,
): HostPathProblem {
  return { field: request.field, kind: request.kind, path, code, message, fix };
}

export async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** One line per action and problem, for a CLI. */
