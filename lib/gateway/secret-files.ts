/**
 * Checks of the secret files a stack names, before anything starts. Decisions (documented in
 * docs/gateway-contract.md): a missing or empty file is an error; a value is one line, and one trailing
 * newline (LF) is accepted because editors add it and the image's `_FILE` reader drops it (unconfirmed: write
 * the file without one to be safe); a carriage return anywhere (Windows line ends) or a second line is an
 * error, since it would silently become part of the password or key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpecIssue } from './errors';
import { referencedFiles } from './files';
import type { Stack } from './types';

export async function checkSecretFiles(stack: Stack, projectRoot: string): Promise<SpecIssue[]> {
  const secrets = referencedFiles(stack).filter((file) => file.kind === 'secret');
  const issues = await Promise.all(secrets.map(async ({ field, path }) => {
    const problem = secretProblem(await readOrNull(join(projectRoot, path)));
    return problem ? [{ path: field, message: `${path} ${problem}` }] : [];
  }));
  return issues.flat();
}

/** Why a secret file's content cannot be used, or undefined when it is fine. Never echoes the content. */
export function secretProblem(content: Buffer | null): string | undefined {
  if (content === null) return 'does not exist; create it (one line, the secret value) or fix the path';
  const text = content.toString('utf8');
  const value = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (value.trim().length === 0) return 'is empty; write the secret value into it';
  if (value.includes('\r')) return 'contains a carriage return (Windows line ending); save it with LF line ending or none';
  if (value.includes('\n')) return 'has more than one line; a secret is a single line';
  return undefined;
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}
