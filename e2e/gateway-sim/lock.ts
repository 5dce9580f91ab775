// A cross-process lock file: created exclusively, holding the owner's pid; a lock whose owner died is taken over.
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 200;
const UNWRITTEN_LOCK_GRACE_MS = 10_000; // an owner that died between creating the file and writing its pid

export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!(await tryAcquire(path))) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${path}; remove it if no build is running`);
    }
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}

async function tryAcquire(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    if (await ownerIsGone(path)) await rm(path, { force: true });
    return false;
  }
}

async function ownerIsGone(path: string): Promise<boolean> {
  const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) {
    const modified = await stat(path).then((s) => s.mtimeMs, () => Date.now());
    return Date.now() - modified > UNWRITTEN_LOCK_GRACE_MS;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
