// Host ports for gateways, from SWITCHYARD_PORT_RANGE. The primary key makes a port unique across the platform;
// taken_host_ports() lists every tenant's ports (numbers only) so allocation never has to guess.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { portAllocations } from '@/db/schema';
import { config } from '@/server/config';
import { AppError } from '@/server/errors';

export async function allocatePort(tx: Tx, args: { tenantId: string; environmentId: string; purpose: string }): Promise<number> {
  const [low, high] = config().SWITCHYARD_PORT_RANGE;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('switchyard:host-ports', 0))`);
  const taken = new Set((await tx.execute(sql`select taken_host_ports(${low}, ${high}) as port`)).map((r) => Number(r.port)));
  let port = low;
  while (port <= high && taken.has(port)) port += 1;
  if (port > high) {
    throw new AppError('PRECONDITION_FAILED', `No free host port: all ${high - low + 1} ports of SWITCHYARD_PORT_RANGE (${low}-${high}) are allocated. Tear down an environment or widen the range.`);
  }
  await tx.insert(portAllocations).values({ hostPort: port, tenantId: args.tenantId, environmentId: args.environmentId, purpose: args.purpose });
  return port;
}

export async function environmentPort(tx: Tx, tenantId: string, environmentId: string): Promise<number | null> {
  const [row] = await tx.select({ port: portAllocations.hostPort }).from(portAllocations)
    .where(and(eq(portAllocations.tenantId, tenantId), eq(portAllocations.environmentId, environmentId), eq(portAllocations.purpose, 'http')));
  return row?.port ?? null;
}

export async function releasePorts(tx: Tx, tenantId: string, environmentId: string): Promise<void> {
  await tx.delete(portAllocations).where(and(eq(portAllocations.tenantId, tenantId), eq(portAllocations.environmentId, environmentId)));
}
