/** Container operations shared by provision and the lifecycle calls, with the engine's answers made actionable. */
import type Docker from 'dockerode';
import type { ContainerCreateBody, StackPlan } from '@/lib/gateway';
import { LABEL_PREFIX } from '@/lib/gateway/naming';
import { engineMessage, isPortConflict, takenPort, type Engine } from './docker-engine';
import { runtimeErrors } from './errors';

export const MANAGED_BY_LABEL = `${LABEL_PREFIX}managed-by`;
/** The labels that say whose a Docker object is; everything else on it (spec hash, version) may change. */
const OWNER_KEYS = ['managed-by', 'tenant', 'site', 'environment', 'project'].map((key) => `${LABEL_PREFIX}${key}`);
export const DEFAULT_STOP_SECONDS = 30;

/** The owner labels every container of the plan carries (tenant/site/environment, or project). */
export function planOwner(plan: StackPlan): Record<string, string> {
  const labels = plan.services[0]?.labels ?? {};
  return Object.fromEntries(OWNER_KEYS.filter((key) => key in labels).map((key) => [key, labels[key]!]));
}

export const hasLabels = (actual: Record<string, string> | null | undefined, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([key, value]) => actual?.[key] === value);

/** Engine list filter for objects carrying every given label. */
export const labelFilter = (labels: Record<string, string>) => ({ label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) });

export function findContainer(engine: Engine, name: string): Promise<Docker.ContainerInspectInfo | null> {
  return engine.find(`inspect container ${name}`, () => engine.docker.getContainer(name).inspect());
}

export async function mustFindContainer(engine: Engine, name: string): Promise<Docker.ContainerInspectInfo> {
  const info = await findContainer(engine, name);
  if (!info) throw runtimeErrors.notFound('container', name, 'provision the environment first');
  return info;
}

/** Starts a container; a published port someone else holds is PORT_TAKEN naming the port. 304 (running) is fine. */
export async function startContainer(engine: Engine, name: string, body: ContainerCreateBody): Promise<void> {
  try {
    await engine.docker.getContainer(name).start();
  } catch (error) {
    const failure = error as { statusCode?: number };
    if (failure.statusCode === 304) return;
    const message = engineMessage(failure);
    if (isPortConflict(message)) throw runtimeErrors.portTaken(takenPort(message) ?? firstHostPort(body), name);
    throw engine.translate(`start container ${name}`, error);
  }
}

function firstHostPort(body: ContainerCreateBody): number {
  const binding = Object.values(body.HostConfig.PortBindings)[0]?.[0];
  return Number(binding?.HostPort ?? 0);
}

/** Graceful stop (SIGTERM, then SIGKILL after `seconds`); a stopped or missing container is left as it is. */
export async function stopContainer(engine: Engine, name: string, seconds = DEFAULT_STOP_SECONDS): Promise<void> {
  try {
    await engine.docker.getContainer(name).stop({ t: seconds });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 304 && status !== 404) throw engine.translate(`stop container ${name}`, error);
  }
}

/** Runs a removal; answers false when the object was gone already. */
async function removal(engine: Engine, action: string, request: () => Promise<unknown>): Promise<boolean> {
  return (await engine.find(action, async () => (await request(), true))) ?? false;
}

/** Removes a container and its anonymous volumes (named volumes stay); a missing one is fine. */
export function removeContainer(engine: Engine, name: string): Promise<boolean> {
  return removal(engine, `remove container ${name}`, () => engine.docker.getContainer(name).remove({ force: true, v: true }));
}

export function removeVolume(engine: Engine, name: string): Promise<boolean> {
  return removal(engine, `remove volume ${name}`, () => engine.docker.getVolume(name).remove());
}

/** Removes the network when no container (running or not) is attached; answers whether it did. */
export async function removeNetworkIfUnused(engine: Engine, name: string): Promise<boolean> {
  const users = await engine.call(`list containers on network ${name}`, () => engine.docker.listContainers({ all: true, filters: { network: [name] } }));
  if (users.length > 0) return false;
  return removal(engine, `remove network ${name}`, () => engine.docker.getNetwork(name).remove());
}
