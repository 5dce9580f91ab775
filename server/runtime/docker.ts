/**
 * GatewayRuntime on the Docker engine (dockerode: the local socket, or DOCKER_HOST and its TLS variables).
 * Everything it creates comes from toEngineRequests(plan), the function the Compose file is rendered beside,
 * so a downloaded Compose file and a provisioned container never differ.
 */
import Docker from 'dockerode';
import { toEngineRequests, type StackPlan } from '@/lib/gateway';
import { Engine } from './docker-engine';
import { defaultHealthTimeoutMs, waitReady } from './docker-health';
import { decodeLogs, followLines } from './docker-logs';
import {
  DEFAULT_STOP_SECONDS, MANAGED_BY_LABEL, findContainer, labelFilter, mustFindContainer, planOwner, removeContainer,
  removeNetworkIfUnused, removeVolume, startContainer, stopContainer,
} from './docker-ops';
import { DockerProvision } from './docker-provision';
import { toStatsSample } from './docker-stats';
import { toContainerStatus, toManagedContainer } from './docker-status';
import { secretValues } from './secrets';
import type {
  ContainerStatus, DestroyOptions, DestroyResult, FollowOptions, GatewayRuntime, LogLine, LogOptions, ManagedContainer,
  ProvisionOptions, ProvisionResult, StatsSample, StopOptions, WaitOptions,
} from './types';

const DEFAULT_TAIL = 100;

export interface DockerRuntimeOptions {
  /** Pull an image that is not on the host before failing with IMAGE_MISSING (default false: never pull). */
  pullMissingImages?: boolean;
}

export class DockerRuntime implements GatewayRuntime {
  private readonly engine: Engine;

  /** Without a client, dockerode's defaults apply: DOCKER_HOST when set, else /var/run/docker.sock. */
  constructor(docker: Docker = new Docker(), private readonly options: DockerRuntimeOptions = {}) {
    this.engine = new Engine(docker);
  }

  async ping(): Promise<void> {
    await this.engine.call('answer a ping', () => this.engine.docker.ping());
  }

  provision(plan: StackPlan, options: ProvisionOptions = {}): Promise<ProvisionResult> {
    return new DockerProvision(this.engine, plan, options, this.options.pullMissingImages ?? false).run();
  }

  async start(plan: StackPlan, options: WaitOptions = {}): Promise<ContainerStatus[]> {
    const containers = toEngineRequests(plan).containers;
    for (const { name } of containers) await mustFindContainer(this.engine, name);
    for (const { name, body } of containers) await startContainer(this.engine, name, body);
    await this.waitReady(plan, options);
    return this.statuses(plan);
  }

  async stop(plan: StackPlan, options: StopOptions = {}): Promise<ContainerStatus[]> {
    const containers = toEngineRequests(plan).containers.reverse();
    for (const { name } of containers) await mustFindContainer(this.engine, name);
    for (const { name } of containers) await stopContainer(this.engine, name, options.timeoutSeconds);
    return this.statuses(plan);
  }

  async restart(plan: StackPlan, options: StopOptions & WaitOptions = {}): Promise<ContainerStatus[]> {
    const containers = toEngineRequests(plan).containers;
    for (const { name } of containers) await mustFindContainer(this.engine, name);
    const seconds = options.timeoutSeconds ?? DEFAULT_STOP_SECONDS;
    for (const { name } of containers) {
      await this.engine.call(`restart container ${name}`, () => this.engine.docker.getContainer(name).restart({ t: seconds }));
    }
    await this.waitReady(plan, options);
    return this.statuses(plan);
  }

  async destroy(plan: StackPlan, options: DestroyOptions = {}): Promise<DestroyResult> {
    const owner = planOwner(plan);
    const requests = toEngineRequests(plan);
    const labelled = await this.engine.call('list containers', () => this.engine.docker.listContainers({ all: true, filters: labelFilter(owner) }));
    const names = new Set([...requests.containers.map(({ name }) => name), ...labelled.map((c) => toManagedContainer(c).name)]);
    const removed: DestroyResult = { containers: [], volumes: [], network: null };
    // Reverse start order: dependants stop before what they depend on.
    for (const name of [...names].reverse()) {
      if (!(await findContainer(this.engine, name))) continue;
      await stopContainer(this.engine, name, options.timeoutSeconds);
      await removeContainer(this.engine, name);
      removed.containers.push(name);
    }
    if (!options.keepVolumes) {
      const listed = await this.engine.call('list volumes', () => this.engine.docker.listVolumes({ filters: labelFilter(owner) }));
      const volumes = new Set([...requests.volumes.map((v) => v.Name), ...(listed.Volumes ?? []).map((v) => v.Name)]);
      for (const name of volumes) if (await removeVolume(this.engine, name)) removed.volumes.push(name);
    }
    for (const { Name } of requests.networks) if (await removeNetworkIfUnused(this.engine, Name)) removed.network = Name;
    return removed;
  }

  async inspect(containerName: string): Promise<ContainerStatus> {
    return toContainerStatus(await mustFindContainer(this.engine, containerName));
  }

  async stats(containerName: string): Promise<StatsSample> {
    await mustFindContainer(this.engine, containerName);
    const stats = await this.engine.call(`read stats of ${containerName}`, () => this.engine.docker.getContainer(containerName).stats({ stream: false }));
    return toStatsSample(stats);
  }

  async logs(containerName: string, options: LogOptions = {}): Promise<LogLine[]> {
    await mustFindContainer(this.engine, containerName);
    const raw = await this.engine.call(`read logs of ${containerName}`, () =>
      this.engine.docker.getContainer(containerName).logs({ stdout: true, stderr: true, timestamps: true, tail: options.tail ?? DEFAULT_TAIL, follow: false }),
    );
    return decodeLogs(raw);
  }

  async *followLogs(containerName: string, options: FollowOptions = {}): AsyncGenerator<LogLine> {
    await mustFindContainer(this.engine, containerName);
    const stream = await this.engine.call(`follow logs of ${containerName}`, () =>
      this.engine.docker.getContainer(containerName).logs({ stdout: true, stderr: true, timestamps: true, tail: options.tail ?? DEFAULT_TAIL, follow: true }),
    );
    yield* followLines(stream, options.signal);
  }

  async listManaged(labelFilterWanted: Record<string, string> = {}): Promise<ManagedContainer[]> {
    const labels = { ...labelFilterWanted, [MANAGED_BY_LABEL]: 'switchyard' };
    const listed = await this.engine.call('list containers', () => this.engine.docker.listContainers({ all: true, filters: labelFilter(labels) }));
    return listed.map(toManagedContainer);
  }

  private async waitReady(plan: StackPlan, options: WaitOptions): Promise<void> {
    if (options.waitHealthy === false) return;
    const secrets = await secretValues(plan);
    await Promise.all(
      toEngineRequests(plan).containers.map(({ name, body }) =>
        waitReady(this.engine, name, { timeoutMs: options.healthTimeoutMs ?? defaultHealthTimeoutMs(body.Healthcheck), secrets }),
      ),
    );
  }

  private async statuses(plan: StackPlan): Promise<ContainerStatus[]> {
    return Promise.all(toEngineRequests(plan).containers.map(({ name }) => this.inspect(name)));
  }
}
