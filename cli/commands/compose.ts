/** `compose render` and `compose validate`. */
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkSecretFiles, formatIssue, planStack, renderCompose, SpecError, validateComposeDocument, type LoadedSpec } from '../../lib/gateway';
import { CliError } from '../errors';
import { line, type CliIo } from '../io';
import { loadSpec, type SpecOptions } from '../spec';

export function addComposeCommands(program: Command, io: CliIo): void {
  const compose = program.command('compose').description('render and validate Docker Compose files from a gateway spec');

  compose
    .command('render')
    .description('render the spec as a Compose file (to stdout, or to -o FILE)')
    .argument('<spec>', 'the gateway spec, e.g. switchyard.yaml')
    .option('-o, --output <file>', 'write the Compose file here instead of stdout')
    .option('--project <name>', 'project name for container names (default: the spec folder, or the file name)')
    .addHelpText('after', '\nBind sources are written relative to the spec folder, so save the file there; with -o elsewhere they are absolute.')
    .action(async (specPath: string, options: SpecOptions & { output?: string }) => {
      const spec = await loadSpec(specPath, options);
      reportBundle(spec, io);
      const plan = planStack(spec.stack, { projectRoot: spec.projectRoot, scope: spec.scope });
      if (!options.output) return io.out(renderCompose(plan));
      const target = resolve(options.output);
      const sourcePaths = dirname(target) === spec.projectRoot ? 'relative' : 'absolute';
      await writeFile(target, renderCompose(plan, { sourcePaths }));
      io.err(line(`wrote ${target} (${plan.services.length} services)`));
    });

  compose
    .command('validate')
    .description('check the spec (schema, version contract, secret files) and its Compose output (Compose schema)')
    .argument('<spec>', 'the gateway spec, e.g. switchyard.yaml')
    .option('--project <name>', 'project name for container names (default: the spec folder, or the file name)')
    .action(async (specPath: string, options: SpecOptions) => {
      const spec = await loadSpec(specPath, options);
      reportBundle(spec, io);
      const secrets = await checkSecretFiles(spec.stack, spec.projectRoot, { single: spec.single });
      for (const warning of secrets.warnings) io.err(line(`warning: ${formatIssue(warning).trim()}`));
      if (secrets.errors.length > 0) throw new SpecError(secrets.errors);
      const composeProblems = validateComposeDocument(renderCompose(planStack(spec.stack, { projectRoot: spec.projectRoot, scope: spec.scope })));
      if (composeProblems.length > 0) {
        throw new CliError(`the rendered Compose file breaks the Compose schema (a Switchyard bug; please report it):\n${composeProblems.map((problem) => `  ${problem}`).join('\n')}`);
      }
      const { gateways, containers } = spec.stack;
      io.out(line(`valid: ${specPath} (${count(gateways.length, 'gateway')}, ${count(containers.length, 'container')})`));
    });
}

/** Says on stderr what the project folder added to the spec, and which of its files were left out and why. */
function reportBundle(spec: LoadedSpec, io: CliIo): void {
  for (const note of spec.wiring) {
    io.err(line(note.action === 'wired' ? `bundle: ${note.file} -> ${note.field}` : `bundle: ${note.file} not used for ${note.field}: ${note.reason}`));
  }
  for (const problem of spec.bundleProblems) {
    // Some scan messages already start with the file's path.
    const text = problem.message.startsWith(problem.path) ? problem.message : `${problem.path}: ${problem.message}`;
    io.err(line(`${problem.severity}: ${text}`));
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
