import client from 'prom-client';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { tenants } from '@/db/schema';
import { VersionCheckedCache } from '@/lib/cache/version-checked-cache';
import { actorId, type Actor } from '@/server/context';
import { metrics } from '@/server/metrics';

/**
 * Answers of cacheable tenant reads (server/trpc.ts), per procedure, caller and tenant, each kept with its tenant's
 * cache_version. Database triggers move that number in the same transaction as any write to sites, memberships, site
 * grants, custom roles or API tokens (migration 0011), so reading it is enough to know a kept answer, and the access
 * that allowed it, are still what a fresh read would give. 2,000 lists of fifty sites are some 50 MB a process at
 * worst; none is kept longer than ten minutes.
 */
const answers = new VersionCheckedCache<string, object>({ maxEntries: 2_000, ttlMs: 10 * 60_000 });

const versionQueries = new WeakMap<Db, { execute(values: { tenantId: string }): Promise<{ version: number }[]> }>();

/** The tenant's cache version, or null when there is no such tenant. One statement, no transaction. */
async function tenantCacheVersion(db: Db, tenantId: string): Promise<number | null> {
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

type OkResult = { ok: true; data: unknown; ctx?: unknown };

export interface ReadCache {
  /** The kept result, when the version read on opening still stands. */
  kept(): object | undefined;
  /** Keeps a successful result, without the context of the request that made it, until `expiresAt` at the latest. */
  keep(result: OkResult, expiresAt: Date | null | undefined): void;
}

/**
 * Reads the tenant's version (before anything it vouches for: see lib/cache/version-checked-cache.ts) and gives the
 * kept result for this procedure, caller and tenant. Null for a tenant that does not exist: nothing is kept for it.
 */
export async function openReadCache(db: Db, procedure: string, actor: Actor, tenantId: string): Promise<ReadCache | null> {
  const version = await tenantCacheVersion(db, tenantId);
  if (version === null) return null;
  const key = `${procedure} ${actor.type}:${actorId(actor)} ${tenantId}`;
  return {
    kept() {
      const result = answers.get(key, version);
      cacheMetrics().reads.inc({ procedure, result: result === undefined ? 'miss' : 'hit' });
      return result;
    },
    keep(result, expiresAt) {
      const own: Partial<OkResult> = { ...result };
      delete own.ctx; // the request that made it: its caller, its finished transaction
      answers.set(key, version, freezeAnswer(own), expiresAt ? expiresAt.getTime() : undefined);
    },
  };
}

const isPlain = (value: unknown): value is object => Array.isArray(value)
  || (typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value)));

/** A kept answer is handed to many callers: frozen (its arrays and plain objects), so none can change the next one's. */
function freezeAnswer<T>(value: T): T {
  if (isPlain(value) && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) freezeAnswer(inner);
    Object.freeze(value);
  }
  return value;
}
