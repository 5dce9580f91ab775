/**
 * Desired against observed, without touching the engine: which containers belong to which environment (by owner
 * labels), which belong to none (orphans), and what differs for each environment (its drift).
 */
import { LABEL_PREFIX } from '@/lib/gateway/naming';
import { planOwner, type ContainerState, type ManagedContainer } from '@/server/runtime';
import type { DesiredEnvironment, Drift } from './types';

/** The labels that say whose a container is; the same keys planOwner reads from a plan. */
const OWNER_KEYS = ['tenant', 'site', 'environment', 'project'].map((key) => `${LABEL_PREFIX}${key}`);
const DESIRED_STATES = new Set(['running', 'stopped', 'absent']);
const POLICIES = new Set(['repair', 'report']);
const NOT_RUNNING = new Set<ContainerState>(['created', 'exited', 'dead', 'paused']);
const ACTIVE = new Set<ContainerState>(['running', 'restarting', 'paused']);

/** The owner labels among a container's (or an event's) labels. */
export function ownerOf(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(OWNER_KEYS.filter((key) => labels[key] !== undefined).map((key) => [key, labels[key]!]));
}

/** One string per owner, whatever the label order. */
export function ownerKey(owner: Record<string, string>): string {
  return JSON.stringify(OWNER_KEYS.map((key) => owner[key] ?? null));
}

export const environmentOwner = (environment: DesiredEnvironment) => ownerOf(planOwner(environment.plan));

/** Why an environment as given cannot be compared (values from the database that no code path should produce), or null. */
export function invalidEnvironment(environment: DesiredEnvironment): string | null {
  if (!DESIRED_STATES.has(environment.desiredState)) {
    return `desiredState "${String(environment.desiredState)}" is not one of running, stopped, absent; fix the environment's desired state`;
  }
  if (!POLICIES.has(environment.policy)) return `policy "${String(environment.policy)}" is not one of repair, report; fix the environment's policy`;
  if (!environment.plan?.services?.length) return 'its plan has no containers; re-plan the environment from its spec';
  if (Object.keys(environmentOwner(environment)).length === 0) return 'its plan carries no owner labels (tenant, site, environment); re-plan the environment from its spec';
  return null;
}

export interface Assignment {
  /** Containers per environment id (empty list when none is on the engine). */
  owned: Map<string, ManagedContainer[]>;
  orphans: ManagedContainer[];
}

/** Gives each container to the environment whose owner labels it carries exactly; the rest are orphans. */
export function assign(environments: readonly DesiredEnvironment[], containers: readonly ManagedContainer[]): Assignment {
  const byOwner = new Map<string, string>();
  const owned = new Map<string, ManagedContainer[]>();
  for (const environment of environments) {
    owned.set(environment.environmentId, []);
    const key = ownerKey(environmentOwner(environment));
    if (!byOwner.has(key)) byOwner.set(key, environment.environmentId);
  }
  const orphans: ManagedContainer[] = [];
  for (const container of containers) {
    const id = byOwner.get(ownerKey(ownerOf(container.labels)));
    if (id === undefined) orphans.push(container);
    else owned.get(id)!.push(container);
  }
  return { owned, orphans };
}

/**
 * What differs between an environment and its containers. `changed` holds the differing settings of each container
 * found (absent or empty: it matches its plan).
 */
export function findDrift(environment: DesiredEnvironment, containers: readonly ManagedContainer[], changed: ReadonlyMap<string, string[]>): Drift[] {
  const wanted = environment.desiredState;
  const found = new Map(containers.map((container) => [container.name, container]));
  const planned = environment.plan.services.map((service) => service.containerName);
  const drift: Drift[] = [];
  const add = (kind: Drift['kind'], container: string, state: ContainerState | null, detail: string, fields?: string[]) =>
    drift.push({ kind, container, state, detail, ...(fields ? { fields } : {}) });

  if (wanted === 'absent') {
    for (const container of containers) add('present', container.name, container.state, `${container.name} is ${container.state}, desired absent`);
    return drift;
  }
  for (const name of planned) {
    const container = found.get(name);
    if (!container || container.state === 'removing') {
      add('missing', name, container?.state ?? null, `${name} is not on the engine, desired ${wanted}`);
      continue;
    }
    const fields = changed.get(name) ?? [];
    if (fields.length > 0) add('changed', name, container.state, `${name} differs from its plan in ${fields.join(', ')} (changed outside Switchyard)`, fields);
    const state = container.state;
    if (wanted === 'running' && NOT_RUNNING.has(state)) add('stopped', name, state, `${name} is ${state}, desired running`);
    if (wanted === 'stopped' && ACTIVE.has(state)) add('running', name, state, `${name} is ${state}, desired stopped`);
    if (wanted === 'running' && state === 'restarting') add('unhealthy', name, state, `${name} keeps restarting (see its log)`);
    if (wanted === 'running' && state === 'running' && container.health === 'unhealthy') add('unhealthy', name, state, `${name} is running but its health check fails`);
  }
  for (const container of containers) {
    if (!planned.includes(container.name)) {
      add('unplanned', container.name, container.state, `${container.name} carries this environment's labels but is not in its plan; remove it if nothing needs it`);
    }
  }
  return drift;
}

/**
 * Whether the environment is where its desired state wants it (EnvironmentReport.ready): no drift other than
 * `unplanned`, and, desired running, no planned container still starting its health check.
 */
export function isReady(environment: DesiredEnvironment, containers: readonly ManagedContainer[], drift: readonly Drift[]): boolean {
  if (drift.some((entry) => entry.kind !== 'unplanned')) return false;
  if (environment.desiredState !== 'running') return true;
  const planned = new Set(environment.plan.services.map((service) => service.containerName));
  return containers.every((container) => !planned.has(container.name) || container.health !== 'starting');
}
