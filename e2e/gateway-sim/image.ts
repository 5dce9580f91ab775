// Builds (once) the gateway simulator image `switchyard/gateway-sim:<version>` from files on this machine.
// No registry is reachable, so the image is a `docker import` of a staged root file system. A content hash
// of the simulator's sources is stored as a label: the image is rebuilt only when they change.
import { createHash } from 'node:crypto';
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docker, dockerTry } from './docker-cli';
import { withFileLock } from './lock';
import { GATEWAY_UID, IMAGE_SOURCES, INSTALL_DIR, packRootfs, stageRootfs } from './rootfs';

export const SIMULATOR_REPOSITORY = 'switchyard/gateway-sim';
export const SOURCE_HASH_LABEL = 'io.switchyard.gateway-sim.source-hash';
const VERSION_PATTERN = /^\d+\.\d+\.\d+$/;
const BUILDER_FILES = ['rootfs.ts', 'image.ts'].map((f) => fileURLToPath(new URL(`./${f}`, import.meta.url)));

const inProcess = new Map<string, Promise<string>>();

/**
 * Returns the tag of the simulator image for an Ignition version (e.g. "8.3.4"), building it when it is
 * missing or its sources changed. Safe to call concurrently from several test files (a lock file serialises builds).
 */
export function ensureSimulatorImage(version: string): Promise<string> {
  if (!VERSION_PATTERN.test(version)) {
    return Promise.reject(new Error(`Ignition version "${version}" is not of the form 8.3.4; pass major.minor.patch`));
  }
  let pending = inProcess.get(version);
  if (!pending) {
    pending = buildIfStale(version).finally(() => inProcess.delete(version));
    inProcess.set(version, pending);
  }
  return pending;
}

async function buildIfStale(version: string): Promise<string> {
  const tag = `${SIMULATOR_REPOSITORY}:${version}`;
  const hash = await sourceHash(version);
  if ((await builtHash(tag)) === hash) return tag;
  return withFileLock(join(tmpdir(), 'switchyard-gateway-sim-build.lock'), async () => {
    if ((await builtHash(tag)) === hash) return tag; // another process built it while we waited
    await buildImage(tag, version, hash);
    return tag;
  });
}

async function builtHash(tag: string): Promise<string | undefined> {
  const result = await dockerTry(['image', 'inspect', '--format', `{{ index .Config.Labels "${SOURCE_HASH_LABEL}" }}`, tag]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

async function buildImage(tag: string, version: string, hash: string): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'switchyard-gateway-sim-'));
  try {
    const root = join(workDir, 'rootfs');
    await stageRootfs(root);
    const tarPath = join(workDir, 'rootfs.tar');
    await packRootfs(root, tarPath);
    const changes = [
      'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
      'ENV PATH=/usr/local/bin:/usr/bin:/bin',
      `ENV IGNITION_VERSION=${version}`,
      `WORKDIR ${INSTALL_DIR}`,
      `USER ${GATEWAY_UID}:${GATEWAY_UID}`,
      'EXPOSE 8088 8043 8060',
      `LABEL ${SOURCE_HASH_LABEL}=${hash}`,
      'LABEL io.switchyard.gateway-sim=1',
      `LABEL org.opencontainers.image.version=${version}`,
      'LABEL org.opencontainers.image.description="Switchyard test fixture: simulates an Ignition gateway\'s HTTP surface"',
    ];
    const previous = await dockerTry(['image', 'inspect', '--format', '{{.Id}}', tag]);
    await docker(['import', ...changes.flatMap((change) => ['--change', change]), tarPath, tag]);
    // The outdated build is now untagged; drop it unless a container still uses it.
    if (previous.code === 0) await dockerTry(['rmi', previous.stdout.trim()]);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Hash of everything that ends up in the image: simulator files, builder code, version and host Node. */
async function sourceHash(version: string): Promise<string> {
  const hash = createHash('sha256').update(`${version}\n${process.version}\n${process.execPath}\n`);
  const files = [...(await listFiles(IMAGE_SOURCES)), ...BUILDER_FILES].sort();
  for (const file of files) {
    hash.update(`${relative(IMAGE_SOURCES, file)}\n`).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 32);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}
