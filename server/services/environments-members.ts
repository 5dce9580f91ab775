// Each gateway of an environment as the engine reports it now: its host port, container state and health. A single
// gateway is one member named after the environment; a stack has one per `gateways` entry, in spec order.
import { withTenant, type Db } from '@/db/client';
import type { ContainerState, GatewayRuntime, HealthState } from '@/server/runtime';
import { runtimeCode } from './environment-samples-logs';
import { findEnvironment } from './environments';
import { environmentPorts } from './environments-ports';
import { environmentPlan, memberPorts } from './environments-spec';

interface Ref { tenantId: string; siteId: string; name: string }

export interface MemberStatus {
  name: string;
  port: number | null;
  /** `missing`: no container (not provisioned yet, or removed); `unknown`: the engine did not answer. */
  state: ContainerState | 'missing' | 'unknown';
  health: HealthState | null;
  startedAt: Date | null;
}

export interface MembersView { members: MemberStatus[]; note: string | null }

/** The environment's gateways with their containers' state; never fails on the engine (the note says why instead). */
export async function environmentMembers(db: Db, runtime: GatewayRuntime, ref: Ref): Promise<MembersView> {
  const { plan, ports } = await withTenant(db, ref.tenantId, async (tx) => {
    const env = await findEnvironment(tx, ref);
    const held = env.removedAt ? {} : await environmentPorts(tx, env.tenantId, env.id);
    if (Object.keys(held).length === 0) return { plan: null, ports: {} };
    return { plan: environmentPlan(env, held), ports: memberPorts(env.spec, env.name, held) };
  });
  if (!plan) return { members: [], note: 'The environment holds no host port: it was torn down, or is being torn down.' };
  let note: string | null = null;
  const members = await Promise.all(plan.services.filter((s) => s.kind === 'gateway').map(async (service): Promise<MemberStatus> => {
    const base = { name: service.key, port: ports[service.key] ?? null };
    try {
      const status = await runtime.inspect(service.containerName);
      return { ...base, state: status.state, health: status.health, startedAt: status.startedAt };
    } catch (error) {
      const code = runtimeCode(error);
      if (code === 'NOT_FOUND') return { ...base, state: 'missing', health: null, startedAt: null };
      if (code !== 'ENGINE_UNREACHABLE') throw error;
      note = `${(error as Error).message}. The containers' state shows again when the engine is back.`;
      return { ...base, state: 'unknown', health: null, startedAt: null };
    }
  }));
  return { members, note };
}
