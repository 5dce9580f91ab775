/** Commands about the files of a project: `bundle scan`, `paths check`, `dirs prepare`. */
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { referencedFiles, type ReferencedFileKind } from '../../lib/gateway';
import { scanBundle, type BundleScan } from '../../lib/bundle';
import {
  formatHostDirReport, PathError, prepareHostDirectories, PROJECT_DIRS, resolveSpecPath, type HostDirKind, type HostDirRequest,
} from '../../lib/paths';
import { CliError } from '../errors';
import { line, type CliIo } from '../io';
import { loadSpec } from '../spec';

const DIR_OF: Record<ReferencedFileKind, HostDirKind> = { module: 'modules', jdbc: 'jdbc', backup: 'backups', secret: 'secrets' };

export function addProjectCommands(program: Command, io: CliIo): void {
  program
    .command('bundle')
    .description('look at the files of a project folder')
    .command('scan')
    .description('list the modules, JDBC drivers, backups, licences and secrets of a project folder, and what is wrong with them')
    .argument('<dir>', 'the project folder (the one holding switchyard.yaml)')
    .option('--ignition <version>', 'check modules and backups against this gateway version, e.g. 8.3.4')
    .option('--json', 'print the scan as JSON')
    .action(async (dir: string, options: { ignition?: string; json?: boolean }) => {
      const scan = await scanBundle(dir, options.ignition ? { targetVersion: options.ignition } : {});
      io.out(options.json ? line(JSON.stringify(scan, null, 2)) : describeScan(scan));
      for (const problem of scan.problems) io.err(line(`${problem.severity}: ${problem.path}: ${problem.message}`));
      if (scan.problems.some((problem) => problem.severity === 'error')) throw new CliError('the project folder has errors (see above)');
    });

  program
    .command('paths')
    .description('check the paths a spec names')
    .command('check')
    .description('check that every file the spec names exists inside the project (symbolic links included)')
    .argument('<spec>', 'the gateway spec, e.g. switchyard.yaml')
    .action(async (specPath: string) => {
      const spec = await loadSpec(specPath, {});
      const files = referencedFiles(spec.stack, { single: spec.single });
      const problems: string[] = [];
      for (const file of files) {
        try {
          await resolveSpecPath(file.field, file.path, { projectRoot: spec.projectRoot, mustExist: true });
        } catch (error) {
          if (!(error instanceof PathError)) throw error;
          problems.push(error.message);
        }
      }
      if (problems.length > 0) throw new CliError(problems.join('\n'));
      io.out(line(`ok: ${files.length} file${files.length === 1 ? '' : 's'} named by ${specPath} exist inside ${spec.projectRoot}`));
    });

  program
    .command('dirs')
    .description('prepare the host folders of a project')
    .command('prepare')
    .description('create the project folders the spec needs with safe modes, and report existing ones that are wrong')
    .argument('<spec>', 'the gateway spec, e.g. switchyard.yaml')
    .option('--dry-run', 'only say what would be created')
    .action(async (specPath: string, options: { dryRun?: boolean }) => {
      const spec = await loadSpec(specPath, {});
      const requests: HostDirRequest[] = [
        ...(['modules', 'jdbc', 'backups', 'licenses', 'secrets'] as const).map((kind) => ({
          field: 'project layout', hostPath: join(spec.projectRoot, PROJECT_DIRS[kind]), kind,
        })),
        ...referencedFiles(spec.stack, { single: spec.single }).flatMap((file) => {
          const hostPath = join(spec.projectRoot, file.path);
          const kind = DIR_OF[file.kind];
          return [{ field: file.field, hostPath: dirname(hostPath), kind }, { field: file.field, hostPath, kind, type: 'file' as const }];
        }),
      ];
      const report = await prepareHostDirectories(requests, { dryRun: options.dryRun ?? false });
      const lines = formatHostDirReport(report);
      io.out(line(lines.length > 0 ? lines.join('\n') : `nothing to do: the folders of ${specPath} are in place`));
      // Without root the new folders cannot be handed to the gateway user; that is reported, not a failure.
      if (report.problems.some((problem) => problem.code !== 'owner-not-set')) throw new CliError('some paths need attention (see above)');
    });
}

function describeScan(scan: BundleScan): string {
  const rows = [
    `project: ${scan.root}`,
    ...scan.modules.map((module) => `module   ${module.path}  ${module.id} ${module.version}${module.signed ? '' : ' (unsigned)'}`),
    ...scan.jdbcDrivers.map((jar) => `jdbc     ${jar.path}  ${jar.driverClasses.join(', ') || '(no driver class)'}`),
    ...scan.backups.map((backup) => `backup   ${backup.path}  Ignition ${backup.version}${backup.edition ? ` ${backup.edition}` : ''}`),
    ...scan.licenses.map((licence) => `licence  ${licence.path}`),
    ...scan.secrets.map((secret) => `secret   ${secret.path}  (${secret.sizeBytes} bytes)`),
  ];
  return line(rows.join('\n'));
}
