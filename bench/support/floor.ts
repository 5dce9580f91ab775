/**
 * The floor for bench:provision: the same kind of plan the product provisions (effectiveSpec -> parseStack ->
 * planStack in environment scope -> toEngineRequests), created, started and waited for straight through dockerode,
 * with the runtime's own secret writer and health wait. No database, no queue, no HTTP: what is left is the engine.
 */
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { parseStack, planStack, toEngineRequests, type EngineRequests, type StackPlan } from '@/lib/gateway';
import { Engine } from '@/server/runtime/docker-engine';
import { defaultHealthTimeoutMs, waitReady } from '@/server/runtime/docker-health';
import { prepareSecrets } from '@/server/runtime/secrets';
import { effectiveSpec } from '@/server/services/environments-spec';

export interface FloorTarget { tenant: string; site: string; environment: string; httpPort: number; projectRoot: string }

export function floorPlan(spec: Record<string, unknown>, target: FloorTarget): StackPlan {
  return planStack(parseStack(effectiveSpec(spec, target.environment, target.httpPort)), {
    projectRoot: target.projectRoot,
    scope: { kind: 'environment', tenant: target.tenant, site: target.site, environment: target.environment },
  });
}

const isNotFound = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;

/** One creation per site network, however many gateways race for it: the engine's duplicate check is best-effort. */
const networks = new Map<string, Promise<unknown>>();
function ensureNetwork(docker: Docker, network: EngineRequests['networks'][number]): Promise<unknown> {
  let pending = networks.get(network.Name);
  if (!pending) {
    pending = docker.getNetwork(network.Name).inspect().catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
      return docker.createNetwork({ ...network, CheckDuplicate: true });
    });
    pending.catch(() => networks.delete(network.Name));
    networks.set(network.Name, pending);
  }
  return pending;
}

/** Forget the networks created so far (after they were removed). */
export const forgetNetworks = () => networks.clear();

/** Network (shared by the site), volumes, secrets, image check, create, start, wait until healthy. */
export async function provisionDirect(docker: Docker, plan: StackPlan): Promise<void> {
  const requests = toEngineRequests(plan);
  for (const network of requests.networks) await ensureNetwork(docker, network);
  for (const volume of requests.volumes) await docker.createVolume(volume);
  const secrets = await prepareSecrets(plan, Object.fromEntries(plan.secrets.map((s) => [s.key, randomBytes(18).toString('base64url')])));
  for (const { name, body } of requests.containers) {
    await docker.getImage(body.Image).inspect();
    await docker.createContainer({ name, ...body });
    await docker.getContainer(name).start();
  }
  const engine = new Engine(docker);
  for (const { name, body } of requests.containers) {
    await waitReady(engine, name, { timeoutMs: defaultHealthTimeoutMs(body.Healthcheck), secrets: secrets.values });
  }
}
