/**
 * Preparing host folders before a gateway mounts them: create what is missing with safe modes, hand it to the
 * gateway's user when we can (root), and REPORT — never silently fix — folders and secret files that already exist
 * with modes or owners that are wrong. A dry run only looks.
 */
import { chmod, chown, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GATEWAY_GID, GATEWAY_UID } from './constants';
import { inspectExisting, problem, statOrUndefined } from './host-dirs-inspect';
import {
  directoryModeFor,
  octal,
  type HostDirReport,
  type HostDirRequest,
  type PrepareOptions,
  type PrepareSettings,
} from './host-dirs-types';

export async function prepareHostDirectories(
  requests: readonly HostDirRequest[],
  options: PrepareOptions = {},
): Promise<HostDirReport> {
  const settings: PrepareSettings = {
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
  settings: PrepareSettings,
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

export function formatHostDirReport(report: HostDirReport): string[] {
  const verb = report.dryRun ? 'would create' : 'created';
  return [
    ...report.created.map((item) => `${verb} ${item.path} (${octal(item.mode)}) for ${item.field}`),
    ...report.problems.map((item) => `problem: ${item.path} ${item.message} (${item.field}); fix: ${item.fix}`),
  ];
}
