// Docker resources for one test file: everything is labelled io.switchyard.test=1 plus a per-run label,
// tracked, and removed by cleanup() (call it from afterAll), even when tests failed half-way.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { docker, dockerTry } from '@/e2e/gateway-sim/docker-cli';

export interface RunOptions {
  image: string;
  env?: Record<string, string>;
  /** host path or volume name -> container path (append ":ro" to the container path for read-only) */
  mounts?: Record<string, string>;
  args?: string[];
  /** container port to publish on 127.0.0.1 (random host port); default 8088 */
  port?: number;
  /** extra `docker run` flags, e.g. health check options */
  flags?: string[];
}

export interface RunningContainer {
  id: string;
  /** http://127.0.0.1:<host port> */
  baseUrl: string;
}

export const TEST_LABEL = 'io.switchyard.test';
export const RUN_LABEL = 'io.switchyard.test.run';

export class TestDocker {
  readonly runId = randomBytes(6).toString('hex');
  /** Put on anything a test creates by other means (Engine API, planned stacks) so cleanup() finds it. */
  readonly labels: Record<string, string> = { [TEST_LABEL]: '1', [RUN_LABEL]: this.runId };
  private readonly runLabel = `${RUN_LABEL}=${this.runId}`;
  private readonly containers = new Set<string>();
  private readonly volumes = new Set<string>();
  private readonly folders = new Set<string>();

  private labelFlags(): string[] {
    return Object.entries(this.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
  }

  async volume(): Promise<string> {
    const name = await docker(['volume', 'create', ...this.labelFlags()]);
    this.volumes.add(name);
    return name;
  }

  /** A host folder readable by the gateway user (uid 2003), holding the given files (names may contain folders). */
  async folder(files: Record<string, string | Buffer>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-simtest-'));
    this.folders.add(dir);
    await chmod(dir, 0o755);
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true, mode: 0o755 });
      await writeFile(join(dir, name), content, { mode: 0o644 });
    }
    return dir;
  }

  async run(options: RunOptions): Promise<RunningContainer> {
    const port = options.port ?? 8088;
    const args = ['run', '--detach', ...this.labelFlags(), '--publish', `127.0.0.1::${port}`, ...(options.flags ?? [])];
    for (const [key, value] of Object.entries(options.env ?? {})) args.push('--env', `${key}=${value}`);
    for (const [source, target] of Object.entries(options.mounts ?? {})) args.push('--volume', `${source}:${target}`);
    const id = await docker([...args, options.image, ...(options.args ?? [])]);
    this.containers.add(id);
    const published = await docker(['port', id, `${port}/tcp`]);
    const hostPort = published.split('\n')[0]?.split(':').pop();
    return { id, baseUrl: `http://127.0.0.1:${hostPort}` };
  }

  async remove(id: string): Promise<void> {
    await docker(['rm', '--force', id]);
    this.containers.delete(id);
  }

  /** `docker stop`: SIGTERM, then SIGKILL after 10 s. */
  async stop(id: string): Promise<void> {
    await docker(['stop', '--time', '10', id]);
  }

  exec(id: string, command: string[]): Promise<string> {
    return docker(['exec', id, ...command]);
  }

  logs(id: string): Promise<string> {
    return docker(['logs', id]);
  }

  async inspect(id: string, format: string): Promise<string> {
    return docker(['inspect', '--format', format, id]);
  }

  /** Removes every container, volume, network and folder this run created; reports what could not be removed. */
  async cleanup(): Promise<void> {
    const leftovers: string[] = [];
    const labelled = async (kind: 'container' | 'volume' | 'network') => {
      const listed = await dockerTry([kind, 'ls', '--quiet', ...(kind === 'container' ? ['--all'] : []), '--filter', `label=${this.runLabel}`]);
      return listed.stdout.split('\n').filter(Boolean);
    };
    const remove = async (what: string, args: string[]) => {
      if ((await dockerTry(args)).code !== 0) leftovers.push(what);
    };
    for (const id of new Set([...this.containers, ...(await labelled('container'))])) {
      await remove(`container ${id}`, ['rm', '--force', '--volumes', id]);
    }
    for (const name of new Set([...this.volumes, ...(await labelled('volume'))])) await remove(`volume ${name}`, ['volume', 'rm', '--force', name]);
    for (const id of await labelled('network')) await remove(`network ${id}`, ['network', 'rm', id]);
    for (const dir of this.folders) await rm(dir, { recursive: true, force: true });
    if (leftovers.length > 0) throw new Error(`could not remove ${leftovers.join(', ')}; remove them with docker rm/volume rm/network rm`);
  }
}
