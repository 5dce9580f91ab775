/** Looking at secret files: which known secrets are present and whether they look usable. Contents never leave. */
import { readFile } from 'node:fs/promises';
import { isSecretName, SECRET_NAMES } from '../paths/constants';
import type { ProblemLog } from './problems';
import type { SecretFile } from './types';

export interface SecretCandidate {
  path: string;
  absolutePath: string;
  sizeBytes: number;
  name: string;
}

/** Larger files are not read: no known secret is that long, and we do not want their bytes in memory. */
const MAX_SECRET_BYTES = 64 * 1024;

export async function readSecretFile(file: SecretCandidate, log: ProblemLog): Promise<SecretFile | undefined> {
  if (!isSecretName(file.name)) {
    log.warning(file.path, 'secret-unknown', `is not a known secret (${SECRET_NAMES.join(', ')}); it will not be mounted`);
    return undefined;
  }
  if (file.sizeBytes <= MAX_SECRET_BYTES) {
    const content = await readFile(file.absolutePath);
    if (content.toString('utf8').trim() === '') {
      return log.error(file.path, 'secret-empty', 'is empty or only whitespace; write the secret value into it');
    }
    const last = content[content.length - 1];
    if (last === 0x0a || last === 0x0d) {
      log.warning(
        file.path,
        'secret-trailing-newline',
        'ends with a line break, which may become part of the value; write it without one (printf, not echo)',
      );
    }
  }
  return { path: file.path, name: file.name, sizeBytes: file.sizeBytes };
}
