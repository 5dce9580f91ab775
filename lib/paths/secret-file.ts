/**
 * Writing a secret file so it is never readable by others, not even for an instant: the content goes to a
 * temporary file created with mode 0600 in the same folder, which is then renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import { chown, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SECRET_FILE_MODE } from './host-dirs-types';

export interface SecretWriteOptions {
  /** Hand the file to this owner (the gateway user) — only possible as root. */
  owner?: { uid: number; gid: number };
}

export async function writeSecretFile(path: string, value: string | Buffer, options: SecretWriteOptions = {}) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', SECRET_FILE_MODE);
  try {
    await handle.chmod(SECRET_FILE_MODE); // the umask may have narrowed it; never widened, but be exact
    await handle.writeFile(value);
    await handle.sync();
    await handle.close();
    if (options.owner) await chown(temporary, options.owner.uid, options.owner.gid);
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
