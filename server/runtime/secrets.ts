/**
 * The plan's secret files on the host: values handed in are written as 0600 files where the plan mounts them
 * (owned by the gateway user when we are root, since the container reads them as that user); the rest must exist.
 * Values are also collected so log lines shown to a person can have them blotted out.
 */
import { readFile, mkdir, chown } from 'node:fs/promises';
import { dirname } from 'node:path';
import { secretProblem, type StackPlan } from '@/lib/gateway';
import { GATEWAY_GID, GATEWAY_UID, SECRETS_DIR_MODE, writeSecretFile } from '@/lib/paths';
import { runtimeErrors } from './errors';

export interface SecretOutcome {
  written: string[];
  unchanged: string[];
  /** Host paths of files that did not exist before (a failed provision removes them again). */
  newFiles: string[];
  /** Every secret value of the plan, for redaction. */
  values: string[];
}

const asRoot = () => process.getuid?.() === 0;

export async function prepareSecrets(plan: StackPlan, given: Record<string, string> = {}): Promise<SecretOutcome> {
  const known = new Set(plan.secrets.map((secret) => secret.key));
  const unknown = Object.keys(given).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    const expected = [...known].join(', ') || 'none';
    throw runtimeErrors.secretInvalid(unknown.join(', '), '(not in the plan)', `is not a secret of this plan; the plan's secrets are: ${expected}`);
  }
  // Check everything before writing anything, so a bad value leaves no file half-done.
  const current = await Promise.all(plan.secrets.map((secret) => readOrNull(secret.source)));
  plan.secrets.forEach((secret, index) => {
    const value = given[secret.key];
    const problem = secretProblem(value === undefined ? (current[index] ?? null) : Buffer.from(value));
    if (problem?.severity === 'error') throw runtimeErrors.secretInvalid(secret.key, value === undefined ? secret.source : 'the given value', problem.message);
  });
  const outcome: SecretOutcome = { written: [], unchanged: [], newFiles: [], values: [] };
  for (const [index, secret] of plan.secrets.entries()) {
    const value = given[secret.key];
    const existing = current[index] ?? null;
    if (value !== undefined && existing?.toString('utf8') !== value) {
      await mkdir(dirname(secret.source), { recursive: true, mode: SECRETS_DIR_MODE });
      await writeSecretFile(secret.source, value, asRoot() ? { owner: { uid: GATEWAY_UID, gid: GATEWAY_GID } } : {});
      outcome.written.push(secret.key);
      if (existing === null) outcome.newFiles.push(secret.source);
      outcome.values.push(value);
      continue;
    }
    // The container reads the file as the gateway user: hand it over when we can.
    if (asRoot()) await chown(secret.source, GATEWAY_UID, GATEWAY_GID);
    outcome.unchanged.push(secret.key);
    outcome.values.push(existing!.toString('utf8').replace(/\n$/, ''));
  }
  return outcome;
}

/** The plan's secret values as they are on disk now (missing files are skipped), for redaction. */
export async function secretValues(plan: StackPlan): Promise<string[]> {
  const contents = await Promise.all(plan.secrets.map((secret) => readOrNull(secret.source)));
  return contents.flatMap((content) => (content ? [content.toString('utf8').replace(/\n$/, '')] : []));
}

/** Replaces every secret value in a line; short values too, since any leak of a password is one too many. */
export function redact(line: string, values: readonly string[]): string {
  let out = line;
  for (const value of values) if (value.length > 0) out = out.split(value).join('[redacted]');
  return out;
}

/** The file's bytes, or null when it does not exist. */
function readOrNull(path: string): Promise<Buffer | null> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
    throw error;
  });
}
