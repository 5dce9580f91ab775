/**
 * One provision of a plan on Docker, from toEngineRequests(plan) only. Every step looks before it acts, so a
 * second run is a no-op and a half-done one completes. A container whose planned body changed is replaced:
 * the old one is stopped and set aside under another name until the new one is healthy, so a failed change
 * puts the old gateway back. On failure everything this call created is removed unless keepOnFailure.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type Docker from 'dockerode';
import { toEngineRequests, type ContainerCreateBody, type EngineRequests, type StackPlan } from '@/lib/gateway';
import type { Engine } from './docker-engine';
import { driftFields } from './docker-drift';
import { defaultHealthTimeoutMs, waitReady } from './docker-health';
import { ensureImage } from './docker-image';
import {
  findContainer, hasLabels, planOwner, removeContainer, removeNetworkIfUnused, removeVolume, startContainer, stopContainer,
} from './docker-ops';
import { toContainerStatus } from './docker-status';
import { isRuntimeError, RuntimeError, runtimeErrors } from './errors';
import { prepareSecrets } from './secrets';
import { StepReporter, type StepOutcome } from './steps';
import type { ProvisionOptions, ProvisionResult } from './types';

interface SetAside {
  name: string;
  temporary: string;
  wasRunning: boolean;
}

export class DockerProvision {
  private readonly requests: EngineRequests;
  private readonly owner: Record<string, string>;
  private readonly steps: StepReporter;
  private readonly images = new Map<string, Docker.ImageInspectInfo>();
  private readonly created = { network: null as string | null, volumes: [] as string[], containers: [] as string[], secretFiles: [] as string[] };
  private readonly setAside: SetAside[] = [];
  private secrets: string[] = [];
  private startedAny = false;

  constructor(
    private readonly engine: Engine,
    private readonly plan: StackPlan,
    private readonly options: ProvisionOptions,
    private readonly pullMissing: boolean,
  ) {
    this.requests = toEngineRequests(plan);
    this.owner = planOwner(plan);
    this.steps = new StepReporter(options.onStep);
  }

  async run(): Promise<ProvisionResult> {
    try {
      await this.steps.run('network', () => this.ensureNetwork());
      await this.steps.run('volumes', () => this.ensureVolumes());
      await this.steps.run('secrets', () => this.ensureSecrets());
      await this.steps.run('image', () => this.ensureImages());
      await this.steps.run('create', () => this.ensureContainers());
      await this.steps.run('start', () => this.startContainers());
      await this.steps.run('healthy', () => this.waitHealthy());
    } catch (error) {
      // With the engine gone, undoing would fail or act on an engine closing its stores: what was made stays for the
      // restarted engine and the reconciler.
      const engineGone = isRuntimeError(error, 'ENGINE_UNREACHABLE') || (await this.engine.assertAnswering('roll back').then(() => false, () => true));
      if (engineGone && error instanceof RuntimeError) error.details.cleanupFailed = 'the container engine went away; nothing was rolled back (the reconciler repairs it when the engine is back)';
      if (!this.options.keepOnFailure && !engineGone) {
        await this.steps.run('rollback', () => this.rollback()).catch((cleanup: unknown) => {
          // The first failure is the one to fix; that cleaning up failed too must not hide it, nor be lost.
          if (error instanceof RuntimeError) error.details.cleanupFailed = cleanup instanceof Error ? cleanup.message : String(cleanup);
        });
      }
      throw error;
    }
    for (const old of this.setAside) await removeContainer(this.engine, old.temporary);
    const containers = await Promise.all(
      this.requests.containers.map(({ name }) => this.engine.call(`inspect container ${name}`, () => this.engine.docker.getContainer(name).inspect())),
    );
    return { containers: containers.map(toContainerStatus), steps: this.steps.events };
  }

  private async ensureNetwork(): Promise<StepOutcome> {
    const [wanted] = this.requests.networks;
    if (!wanted) return { changed: false, detail: 'no network planned' };
    return oneAtATime(`network:${wanted.Name}`, () => this.ensureNetworkNamed(wanted));
  }

  private async ensureNetworkNamed(wanted: NonNullable<EngineRequests['networks'][number]>): Promise<StepOutcome> {
    const action = `create network ${wanted.Name}`;
    const existing = await this.engine.find(`inspect network ${wanted.Name}`, () => this.engine.docker.getNetwork(wanted.Name).inspect());
    if (existing) {
      // A site network carries its tenant and site: joining another's would break the wall between tenants.
      if (!hasLabels(existing.Labels, wanted.Labels)) throw runtimeErrors.conflict('network', wanted.Name, 'belongs to someone else (its owner labels differ)');
      return { changed: false, detail: `network ${wanted.Name} exists` };
    }
    try {
      await this.engine.docker.createNetwork({ ...wanted, CheckDuplicate: true });
    } catch (error) {
      // Another provision of the same site created it a moment ago: use it.
      if ((error as { statusCode?: number }).statusCode === 409) return { changed: false, detail: `network ${wanted.Name} exists` };
      throw this.engine.translate(action, error);
    }
    this.created.network = wanted.Name;
    return { changed: true, detail: `created network ${wanted.Name}` };
  }

  private async ensureVolumes(): Promise<StepOutcome> {
    const made: string[] = [];
    for (const volume of this.requests.volumes) {
      const existing = await this.engine.find(`inspect volume ${volume.Name}`, () => this.engine.docker.getVolume(volume.Name).inspect());
      if (existing) {
        if (!hasLabels(existing.Labels, this.owner)) throw runtimeErrors.conflict('volume', volume.Name, 'is not this environment\'s data volume (its owner labels differ)');
        continue;
      }
      await this.engine.call(`create volume ${volume.Name}`, () => this.engine.docker.createVolume(volume));
      this.created.volumes.push(volume.Name);
      made.push(volume.Name);
    }
    const kept = this.requests.volumes.length - made.length;
    return { changed: made.length > 0, detail: made.length > 0 ? `created ${made.join(', ')}${kept ? `; ${kept} kept` : ''}` : `${kept} volume(s) exist` };
  }

  private async ensureSecrets(): Promise<StepOutcome> {
    if (this.plan.secrets.length === 0) return { changed: false, detail: 'no secrets in the plan' };
    const outcome = await prepareSecrets(this.plan, this.options.secretValues);
    this.secrets = outcome.values;
    this.created.secretFiles.push(...outcome.newFiles);
    const written = outcome.written.length;
    return { changed: written > 0, detail: `${written} written, ${outcome.unchanged.length} already in place` };
  }

  private async ensureImages(): Promise<StepOutcome> {
    const pulled: string[] = [];
    for (const image of new Set(this.requests.containers.map(({ body }) => body.Image))) {
      const present = await ensureImage(this.engine, image, this.pullMissing);
      this.images.set(image, present.info);
      if (present.pulled) pulled.push(image);
    }
    return { changed: pulled.length > 0, detail: pulled.length > 0 ? `pulled ${pulled.join(', ')}` : `present: ${[...this.images.keys()].join(', ')}` };
  }

  private async ensureContainers(): Promise<StepOutcome> {
    const changes: string[] = [];
    for (const { name, body } of this.requests.containers) {
      const existing = await findContainer(this.engine, name);
      if (existing && !hasLabels(existing.Config.Labels, this.owner)) {
        throw runtimeErrors.conflict('container', name, 'is not managed by this environment (its owner labels differ)');
      }
      const drift = existing ? driftFields(body, existing, this.images.get(body.Image)!) : [];
      if (existing && drift.length === 0) continue;
      if (existing) await this.setAsideOld(name, existing.State.Running);
      await this.createContainer(name, body);
      changes.push(existing ? `re-created ${name} (${drift.join(', ')} changed)` : `created ${name}`);
    }
    return { changed: changes.length > 0, detail: changes.join('; ') || 'containers match the plan' };
  }

  private async createContainer(name: string, body: ContainerCreateBody): Promise<void> {
    try {
      await this.engine.docker.createContainer({ name, ...body });
    } catch (error) {
      // Someone created it since we looked: most likely a second provision of the same environment.
      if ((error as { statusCode?: number }).statusCode === 409) {
        throw runtimeErrors.conflict('container', name, 'appeared while this provision ran (is another provision of this environment running?)');
      }
      throw this.engine.translate(`create container ${name}`, error);
    }
    this.created.containers.push(name);
  }

  /** Stops the outdated container (it holds the ports and the data volume) and renames it out of the way. */
  private async setAsideOld(name: string, wasRunning: boolean): Promise<void> {
    const temporary = `${name}-replaced-${randomBytes(3).toString('hex')}`;
    await stopContainer(this.engine, name);
    await this.engine.call(`rename container ${name}`, () => this.engine.docker.getContainer(name).rename({ name: temporary }));
    this.setAside.push({ name, temporary, wasRunning });
  }

  private async startContainers(): Promise<StepOutcome> {
    const started: string[] = [];
    for (const { name, body } of this.requests.containers) {
      const info = await findContainer(this.engine, name);
      if (info?.State.Running) continue;
      await startContainer(this.engine, name, body);
      started.push(name);
    }
    this.startedAny = started.length > 0;
    return { changed: this.startedAny, detail: this.startedAny ? `started ${started.join(', ')}` : 'already running' };
  }

  private async waitHealthy(): Promise<StepOutcome> {
    if (this.options.waitHealthy === false) return { changed: false, detail: 'not waited for (waitHealthy: false)' };
    await Promise.all(
      this.requests.containers.map(({ name, body }) =>
        waitReady(this.engine, name, { timeoutMs: this.options.healthTimeoutMs ?? defaultHealthTimeoutMs(body.Healthcheck), secrets: this.secrets }),
      ),
    );
    // Reported as work done only when this call started something and so had to wait for it.
    return { changed: this.startedAny, detail: `ready: ${this.requests.containers.map(({ name }) => name).join(', ')}` };
  }

  /** Undoes this call: its containers, the set-aside ones back in place, its volumes, its network if unused. */
  private async rollback(): Promise<StepOutcome> {
    const undone: string[] = [];
    for (const name of this.created.containers) {
      await removeContainer(this.engine, name);
      undone.push(`container ${name}`);
    }
    for (const old of this.setAside) {
      await this.engine.call(`rename container ${old.temporary}`, () => this.engine.docker.getContainer(old.temporary).rename({ name: old.name }));
      if (old.wasRunning) await this.engine.call(`start container ${old.name}`, () => this.engine.docker.getContainer(old.name).start());
      undone.push(`restored ${old.name}`);
    }
    for (const name of this.created.volumes) if (await removeVolume(this.engine, name)) undone.push(`volume ${name}`);
    if (this.created.network && (await removeNetworkIfUnused(this.engine, this.created.network))) undone.push(`network ${this.created.network}`);
    for (const path of this.created.secretFiles) await rm(path, { force: true });
    if (this.created.secretFiles.length > 0) undone.push(`${this.created.secretFiles.length} secret file(s)`);
    return { changed: undone.length > 0, detail: undone.length > 0 ? `removed ${undone.join(', ')}` : 'nothing to undo' };
  }
}

// Docker 20.10's duplicate-name check for networks is not atomic: two provisions of one site at once could each
// create "the" site network, after which every lookup by name is ambiguous. Within a process, one at a time.
const inFlight = new Map<string, Promise<unknown>>();
async function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const before = inFlight.get(key) ?? Promise.resolve();
  const mine = before.catch(() => undefined).then(work);
  inFlight.set(key, mine);
  try {
    return await mine;
  } finally {
    if (inFlight.get(key) === mine) inFlight.delete(key);
  }
}
