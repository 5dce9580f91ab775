/**
 * Checks of the secret files a stack names, before anything starts. Decisions (documented in
 * docs/gateway-contract.md, and in line with lib/bundle's scan): a missing or empty file is an error; a value is
 * one line; a carriage return (Windows line end) or a second line is an error, since either would silently become
 * part of the password or key. One trailing LF is a warning, not an error: editors add it and shell-style `_FILE`
 * readers drop it, but whether the image's reader does is unconfirmed, so write secrets without one (printf).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpecIssue } from './errors';
import { referencedFiles } from './files';
import type { Stack } from './types';

export interface SecretFileReport {
  errors: SpecIssue[];
  warnings: SpecIssue[];
}

export interface SecretProblem {
  severity: 'error' | 'warning';
  message: string;
}

/** `single`: field paths as in a one-gateway spec (see referencedFiles). */
export async function checkSecretFiles(stack: Stack, projectRoot: string, options: { single?: boolean } = {}): Promise<SecretFileReport> {
  const secrets = referencedFiles(stack, options).filter((file) => file.kind === 'secret');
  const report: SecretFileReport = { errors: [], warnings: [] };
  for (const { field, path } of secrets) {
    const problem = secretProblem(await readFileOrNull(join(projectRoot, path)));
    if (problem) report[problem.severity === 'error' ? 'errors' : 'warnings'].push({ path: field, message: `${path} ${problem.message}` });
  }
  return report;
}

/** What is wrong with a secret file's content, or undefined when nothing is. Never echoes the content. */
export function secretProblem(content: Buffer | null): SecretProblem | undefined {
  const error = (message: string): SecretProblem => ({ severity: 'error', message });
  if (content === null) return error('does not exist; create it (one line, the secret value) or fix the path');
  const text = content.toString('utf8');
  const value = text.endsWith('\n') ? text.slice(0, -1) : text;
  if (value.trim().length === 0) return error('is empty; write the secret value into it');
  if (value.includes('\r')) return error('contains a carriage return (Windows line end); save it with no line end');
  if (value.includes('\n')) return error('has more than one line; a secret is a single line');
  if (value !== text) return { severity: 'warning', message: 'ends with a line break, which may become part of the value; write it without one (printf, not echo)' };
  return undefined;
}

/** A file's bytes, or null when it does not exist. */
export async function readFileOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}
