/** How the CLI fails: a message on stderr and an exit code (1 invalid input, 2 usage). */
import { formatIssue, SpecError } from '../lib/gateway';
import { PathError } from '../lib/paths';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT_INVALID) {
    super(message);
    this.name = 'CliError';
  }
}

/** The lines to print for an error, and the exit code it means. */
export function describeFailure(error: unknown, subject: string): { lines: string[]; exitCode: number } {
  if (error instanceof CliError) return { lines: [error.message], exitCode: error.exitCode };
  if (error instanceof SpecError) return { lines: [`${subject} is invalid:`, ...error.issues.map(formatIssue)], exitCode: EXIT_INVALID };
  if (error instanceof PathError) return { lines: [error.message], exitCode: EXIT_INVALID };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
    return { lines: [`cannot read ${subject}: ${(error as Error).message}`], exitCode: EXIT_INVALID };
  }
  return { lines: [`internal error: ${error instanceof Error ? error.message : String(error)}`], exitCode: EXIT_INVALID };
}
