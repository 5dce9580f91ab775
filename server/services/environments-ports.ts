// Host ports for gateways, from SWITCHYARD_PORT_RANGE. The primary key makes a port unique across the platform;
// taken_host_ports() lists every tenant's ports (numbers only) so allocation never has to guess.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { portAllocations } from '@/db/schema';
import { config } from '@/server/config';
import { AppError } from '@/server/errors';

export async function allocatePort(tx: Tx, args: { tenantId: string; environmentId: string; purpose: string; avoid?: readonly number[] }): Promise<number> {
  const [low, high] = config().SWITCHYARD_PORT_RANGE;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('switchyard:host-ports', 0))`);
  const taken = new Set((await tx.execute(sql`select taken_host_ports(${low}, ${high}) as port`)).map((r) => Number(r.port)));
  for (const port of args.avoid ?? []) taken.add(port);
  let port = low;
  while (port <= high && taken.has(port)) port += 1;
  if (port > high) {
    const outside = args.avoid?.length ? ` (${args.avoid.join(', ')} held by something outside Switchyard)` : '';
    throw new AppError('PRECONDITION_FAILED', `No free host port: all ${high - low + 1} ports of SWITCHYARD_PORT_RANGE (${low}-${high}) are in use${outside}. Tear down an environment, free those ports or widen the range.`);
  }
  await tx.insert(portAllocations).values({ hostPort: port, tenantId: args.tenantId, environmentId: args.environmentId, purpose: args.purpose });
  return port;
}

/** One port per purpose (`http`, or `http:<member>` for each member of a stack), in the order given. */
export async function allocatePorts(tx: Tx, args: { tenantId: string; environmentId: string; purposes: readonly string[] }): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  for (const purpose of args.purposes) ports[purpose] = await allocatePort(tx, { tenantId: args.tenantId, environmentId: args.environmentId, purpose });
  return ports;
}

/** The environment's host ports by purpose; empty once they were released (torn down). */
export async function environmentPorts(tx: Tx, tenantId: string, environmentId: string): Promise<Record<string, number>> {
  const rows = await tx.select({ port: portAllocations.hostPort, purpose: portAllocations.purpose }).from(portAllocations)
    .where(and(eq(portAllocations.tenantId, tenantId), eq(portAllocations.environmentId, environmentId)));
  return Object.fromEntries(rows.map((r) => [r.purpose, r.port]));
}

export async function releasePorts(tx: Tx, tenantId: string, environmentId: string): Promise<void> {
  await tx.delete(portAllocations).where(and(eq(portAllocations.tenantId, tenantId), eq(portAllocations.environmentId, environmentId)));
}

/** Gives the environment another port for what `from` served (the lowest free one not in `avoid`), then frees `from`. */
export async function movePort(tx: Tx, args: { tenantId: string; environmentId: string; from: number; avoid: readonly number[] }): Promise<number> {
  const [held] = await tx.select({ purpose: portAllocations.purpose }).from(portAllocations)
    .where(and(eq(portAllocations.tenantId, args.tenantId), eq(portAllocations.environmentId, args.environmentId), eq(portAllocations.hostPort, args.from)));
  const next = await allocatePort(tx, { tenantId: args.tenantId, environmentId: args.environmentId, purpose: held?.purpose ?? 'http', avoid: args.avoid });
  await tx.delete(portAllocations).where(and(eq(portAllocations.tenantId, args.tenantId), eq(portAllocations.hostPort, args.from)));
  return next;
}
