import client from 'prom-client';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { tenants } from '@/db/schema';
import { VersionCheckedCache } from '@/lib/cache/version-checked-cache';
import { actorId, type Actor } from '@/server/context';
import { metrics } from '@/server/metrics';

/**
 * Answers of cacheable tenant reads (server/trpc.ts), per procedure, caller and input, each kept with its tenant's
 * cache_version. Database triggers move that number in the same transaction as any write to sites, memberships, site
 * grants, custom roles or API tokens (migration 0011), so reading it is enough to know a kept answer, and the access
 * that allowed it, are still what a fresh read would give.
 */
// 2,000 lists of fifty sites are some 50 MB a process at worst; none is kept longer than ten minutes.
export interface KeptAnswer { okResult: { marker: unknown; ok: true }; data: unknown }
const answers = new VersionCheckedCache<string, KeptAnswer>({ maxEntries: 2_000, ttlMs: 10 * 60_000 });

/** Only procedures whose whole input is the tenant id may be kept (tests/integration/procedures.test.ts checks). */
export function readCacheKey(path: string, actor: Actor, tenantId: string): string {
  return `${path} ${actor.type}:${actorId(actor)} ${tenantId}`;
}

const versionQueries = new WeakMap<Db, { execute(values: { tenantId: string }): Promise<{ version: number }[]> }>();

/** The tenant's cache version, or null when there is no such tenant. One statement, no transaction. */
export async function tenantCacheVersion(db: Db, tenantId: string): Promise<number | null> {
  let query = versionQueries.get(db);
  if (!query) {
    query = db.select({ version: tenants.cacheVersion }).from(tenants).where(eq(tenants.id, sql.placeholder('tenantId'))).prepare('tenant_cache_version');
    versionQueries.set(db, query);
  }
  const [row] = await query.execute({ tenantId });
  return row ? row.version : null;
}

interface CacheMetrics { reads: client.Counter<'procedure' | 'result'> }
const holder = globalThis as unknown as { switchyardReadCacheMetrics?: CacheMetrics };

function cacheMetrics(): CacheMetrics {
  holder.switchyardReadCacheMetrics ??= {
    reads: new client.Counter({
      name: 'switchyard_read_cache_total', help: 'Cacheable tenant reads by procedure and result (hit: answered from memory after one version check; miss: read afresh)',
      labelNames: ['procedure', 'result'], registers: [metrics().registry],
    }),
  };
  return holder.switchyardReadCacheMetrics;
}

export function cachedAnswer(key: string, procedure: string, version: number): KeptAnswer | undefined {
  const answer = answers.get(key, version);
  cacheMetrics().reads.inc({ procedure, result: answer === undefined ? 'miss' : 'hit' });
  return answer;
}

export function keepAnswer(key: string, version: number, answer: KeptAnswer, expiresAt: Date | null | undefined): void {
  answers.set(key, version, answer, expiresAt ? expiresAt.getTime() : undefined);
}

const isPlain = (value: unknown): value is object => Array.isArray(value)
  || (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/** A kept answer is handed to many callers: frozen (its arrays and plain objects), so none can change the next one's. */
export function freezeAnswer<T>(value: T): T {
  if (isPlain(value) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freezeAnswer(inner);
    Object.freeze(value);
  }
  return value;
}
