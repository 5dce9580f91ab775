// Stages the simulator's root file system from this machine: the running Node binary, dash as /bin/sh,
// curl and grep (for the Compose health check), the shared libraries `ldd` lists for them, and the
// simulator's own files laid out like the official Ignition image. Then packs it as a tar for `docker import`.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chmod, copyFile, cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const IMAGE_SOURCES = fileURLToPath(new URL('./image/', import.meta.url));
export const INSTALL_DIR = '/usr/local/bin/ignition';
export const GATEWAY_UID = 2003;
const HOST_TOOLS = ['dash', 'curl', 'grep'];

/** Fills `root` (an empty folder) with everything the image holds. */
export async function stageRootfs(root: string): Promise<void> {
  // The running Node becomes /usr/bin/node whatever its name on the host; the tools keep theirs.
  const binaries = new Map([[process.execPath, '/usr/bin/node']]);
  for (const tool of HOST_TOOLS) binaries.set(await findOnPath(tool), `/usr/bin/${tool}`);
  const libraries = new Set((await Promise.all([...binaries.keys()].map(sharedLibraries))).flat());
  for (const [binary, target] of binaries) await copyInto(root, binary, target);
  for (const library of libraries) await copyInto(root, library, library);
  await mkdir(join(root, 'bin'), { recursive: true });
  await symlink('/usr/bin/dash', join(root, 'bin/sh'));
  await writeSystemFiles(root);

  const install = join(root, INSTALL_DIR);
  await cp(join(IMAGE_SOURCES, 'ignition'), install, { recursive: true });
  await cp(join(IMAGE_SOURCES, 'sim'), join(install, 'lib/simulator'), { recursive: true });
  for (const folder of ['data/projects', 'user-lib/modules']) await mkdir(join(install, folder), { recursive: true });
  for (const script of ['docker-entrypoint.sh', 'health-check.sh']) {
    await copyInto(root, join(IMAGE_SOURCES, script), `/usr/local/bin/${script}`);
    await chmod(join(root, 'usr/local/bin', script), 0o755);
  }
}

/** Packs `root` into `tarPath`: system files owned by root, the Ignition folder by the gateway user. */
export async function packRootfs(root: string, tarPath: string): Promise<void> {
  const common = ['--numeric-owner', '--sort=name', '-C', root];
  const install = `.${INSTALL_DIR}`;
  await run('tar', [...common, '--owner=0', '--group=0', `--exclude=${install}`, '-cf', tarPath, '.']);
  await run('tar', [...common, `--owner=${GATEWAY_UID}`, `--group=${GATEWAY_UID}`, '-rf', tarPath, install]);
}

async function findOnPath(name: string): Promise<string> {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not on PATH; install it (Debian: apt-get install ${name}) to build the gateway simulator`);
}

/** Absolute library paths from `ldd` ("libc.so.6 => /lib/.../libc.so.6 (0x...)" and "/lib64/ld-linux... (0x...)"). */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  return stdout
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

async function copyInto(root: string, source: string, target: string): Promise<void> {
  await mkdir(dirname(join(root, target)), { recursive: true });
  await copyFile(source, join(root, target)); // follows symlinks: the image gets the real file
}

async function writeSystemFiles(root: string): Promise<void> {
  await mkdir(join(root, 'etc'), { recursive: true });
  const id = GATEWAY_UID;
  await writeFile(join(root, 'etc/passwd'), `root:x:0:0:root:/root:/bin/sh\nignition:x:${id}:${id}:Ignition:${INSTALL_DIR}:/bin/sh\n`);
  await writeFile(join(root, 'etc/group'), `root:x:0:\nignition:x:${id}:\n`);
  await writeFile(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  await mkdir(join(root, 'tmp'), { recursive: true });
  await chmod(join(root, 'tmp'), 0o1777);
}
