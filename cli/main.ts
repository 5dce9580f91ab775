/** The switchyard command line: `main(argv)` runs one command and returns the exit code. */
import { Command, CommanderError } from 'commander';
import { addComposeCommands } from './commands/compose';
import { addProjectCommands } from './commands/project';
import { describeFailure, EXIT_OK, EXIT_USAGE } from './errors';
import { line, processIo, type CliIo } from './io';

export function buildProgram(io: CliIo): Command {
  const program = new Command('switchyard')
    .description('Switchyard: run Ignition gateways from one spec, on Docker')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  addComposeCommands(program, io);
  addProjectCommands(program, io);
  // Every subcommand reports usage errors through the same override instead of exiting the process.
  const override = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }).showHelpAfterError('(add --help for usage)');
    command.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  // Errors name what the command was working on: its first argument (the spec or folder).
  let subject = 'input';
  program.hook('preAction', (_program, action) => {
    subject = String(action.processedArgs[0] ?? subject);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      const shown = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return shown ? EXIT_OK : EXIT_USAGE;
    }
    const failure = describeFailure(error, subject);
    io.err(line(failure.lines.map((text, index) => (index === 0 ? `switchyard: ${text}` : text)).join('\n')));
    return failure.exitCode;
  }
}
