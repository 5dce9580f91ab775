/**
 * API benchmark: 100 tenants x 50 sites x 20 members, seeded with SQL as the owner; the production build on an
 * embedded Postgres; 50 concurrent clients list sites over REST with API tokens for BENCH_SECONDS (default 20).
 * Also measures the site-list query under RLS (app role, inside withTenant) against the same query as the owner
 * with RLS lifted, in the same run. Targets: p95 under 50 ms, RLS ratio at most 1.2 (2 cores).
 * The list is kept per caller until its tenant changes (server/read-cache.ts): the main load measures it as served,
 * with its hit ratio; a second load runs while a writer renames a site of one tenant after another, CHANGES_PER_SECOND
 * in all, so each tenant's kept lists keep going stale and the uncached path is measured too.
 * The last line printed is one JSON object: {"p50_ms":…,"p95_ms":…,"rps":…,"cpu_ms_per_request":…,"cache_hit_ratio":…,
 * "rls_ratio":…,"peak_rss_mib":…,"changing":{…}}; cpu_ms_per_request is the whole machine's CPU over the load divided
 * by the requests (steadier than latency here).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, asc, eq, sql } from 'drizzle-orm';
import { connect, withTenant, type DbHandle, type DbOrTx } from '@/db/client';
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { sites } from '@/db/schema';
import { newSecret } from '@/lib/crypto/secret-token';
import { TOKEN_PREFIX } from '@/server/services/tokens';
import { freePort } from '../tests/setup/global-db';
import { peakRssMiB, startServer, stopServer } from './support/server';
import { KeepAliveConnection } from './support/keep-alive-client';
import { machineBusyCpuMs } from './support/machine-cpu';
import { runBench } from './support/run';

const TENANTS = 100;
const SITES_PER_TENANT = 50;
const MEMBERS_PER_TENANT = 20;
const CLIENTS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const MAX_REQUESTS = 2_000_000; // a bound, whatever the machine's speed
const RLS_ITERATIONS = 2_000;
const RLS_ROUNDS = 10;
const CHANGES_PER_SECOND = 100; // every tenant changes once a second

const log = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Seed: set-based SQL as the owner. The tables force RLS even for their owner, so each tenant's rows are written
//    inside a transaction that names the tenant, exactly as the policies expect.
// ---------------------------------------------------------------------------------------------------------------
interface Seeded { tenantIds: string[]; tokens: string[] }

async function seed(owner: DbHandle): Promise<Seeded> {
  const db = owner.sql;
  const tenants = await db<{ id: string }[]>`
    insert into tenants (slug, name) select 'bench-' || g, 'Bench tenant ' || g from generate_series(1, ${TENANTS}) g returning id`;
  await db`
    insert into users (email, name)
    select 'bench-' || t || '-' || m || '@bench.test', 'Bench user ' || t || '.' || m
    from generate_series(1, ${TENANTS}) t, generate_series(1, ${MEMBERS_PER_TENANT}) m`;
  const tokens: string[] = [];
  for (const [i, tenant] of tenants.entries()) {
    const { secret, hash, display } = newSecret(TOKEN_PREFIX);
    tokens.push(secret);
    await db.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${tenant.id}, true)`;
      await tx`
        insert into sites (tenant_id, slug, name, description)
        select ${tenant.id}, 'site-' || g, 'Plant ' || lpad(g::text, 3, '0'), 'Seeded by bench/api.ts' from generate_series(1, ${SITES_PER_TENANT}) g`;
      const members = await tx<{ id: string; role: string }[]>`
        insert into memberships (tenant_id, user_id, role)
        select ${tenant.id}, u.id, case when u.email like ${`bench-${i + 1}-1@%`} then 'owner' else 'member' end
        from users u where u.email like ${`bench-${i + 1}-%`} returning user_id as id, role`;
      const ownerId = members.find((m) => m.role === 'owner')!.id;
      await tx`
        insert into api_tokens (tenant_id, name, prefix, token_hash, role, created_by)
        values (${tenant.id}, 'bench', ${display}, ${hash}, 'admin', ${ownerId})`;
    });
  }
  await db`analyze`;
  return { tenantIds: tenants.map((t) => t.id), tokens };
}

// ---------------------------------------------------------------------------------------------------------------
// 2. RLS cost: the site-list query (as listSites builds it) as the app role inside withTenant, against the same
//    query as the owner with RLS lifted (NO FORCE inside a transaction that is rolled back). Only the query is
//    timed; the withTenant transaction around it is reported on its own.
// ---------------------------------------------------------------------------------------------------------------
const listQuery = (db: DbOrTx, tenantId: string) => db.select().from(sites).where(eq(sites.tenantId, tenantId)).orderBy(asc(sites.name));

async function timeAppRole(app: DbHandle, tenantIds: string[], n: number, into: { query: number[]; transaction: number[] }) {
  for (let i = 0; i < n; i++) {
    const tenantId = tenantIds[i % tenantIds.length]!;
    const started = performance.now();
    await withTenant(app.db, tenantId, async (tx) => {
      const q = performance.now();
      const rows = await listQuery(tx, tenantId);
      into.query.push(performance.now() - q);
      if (rows.length !== SITES_PER_TENANT) throw new Error(`RLS list returned ${rows.length} rows, expected ${SITES_PER_TENANT}`);
    });
    into.transaction.push(performance.now() - started);
  }
}

/** The owner's reads with RLS lifted: NO FORCE inside a transaction that is always rolled back. */
async function timeOwnerWithoutRls(owner: DbHandle, tenantIds: string[], n: number, into: number[]) {
  const rollback = new Error('rollback');
  await owner.db.transaction(async (tx) => {
    await tx.execute(sql`alter table sites no force row level security`);
    for (let i = 0; i < n; i++) {
      const tenantId = tenantIds[i % tenantIds.length]!;
      const q = performance.now();
      const rows = await listQuery(tx, tenantId);
      into.push(performance.now() - q);
      if (rows.length !== SITES_PER_TENANT) throw new Error(`owner list returned ${rows.length} rows, expected ${SITES_PER_TENANT}`);
    }
    throw rollback;
  }).catch((err: unknown) => { if (err !== rollback) throw err; });
}

/** Alternating rounds, so drift on a shared machine lands on both sides alike. */
async function measureRls(ownerUrl: string, appUrl: string, tenantIds: string[]) {
  const app = connect(appUrl, { max: 1 });
  const owner = connect(ownerUrl, { max: 1 });
  const underRls = { query: [] as number[], transaction: [] as number[] };
  const withoutRls: number[] = [];
  try {
    for (let round = 0; round < RLS_ROUNDS; round++) {
      await timeAppRole(app, tenantIds, RLS_ITERATIONS / RLS_ROUNDS, underRls);
      await timeOwnerWithoutRls(owner, tenantIds, RLS_ITERATIONS / RLS_ROUNDS, withoutRls);
    }
  } finally {
    await Promise.all([app.close(), owner.close()]);
  }
  return { rlsMs: median(underRls.query), ownerMs: median(withoutRls), withTenantMs: median(underRls.transaction) };
}

// ---------------------------------------------------------------------------------------------------------------
// 3. Load: CLIENTS loops, each one request at a time over its own kept-alive connection, each on its own tenant's
//    token (bench/support/keep-alive-client.ts: a lean client, so the load takes little of the server's two cores).
// ---------------------------------------------------------------------------------------------------------------
async function load(baseUrl: string, seeded: Seeded, seconds: number) {
  const connections = await Promise.all(Array.from({ length: CLIENTS }, () => KeepAliveConnection.open(new URL(baseUrl))));
  const latencies: number[] = [];
  let failures = 0;
  const stopAt = performance.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = machineBusyCpuMs();
  try {
    await Promise.all(connections.map(async (connection, c) => {
      for (let n = c; performance.now() < stopAt && latencies.length < MAX_REQUESTS; n += CLIENTS) {
        const t = n % seeded.tenantIds.length;
        const sent = performance.now();
        const status = await connection.get(`/api/v1/tenants/${seeded.tenantIds[t]}/sites`, { authorization: `Bearer ${seeded.tokens[t]}` });
        latencies.push(performance.now() - sent);
        if (status !== 200) failures++;
      }
    }));
  } finally {
    for (const connection of connections) connection.close();
  }
  const elapsedS = (performance.now() - started) / 1000;
  return { latencies, failures, rps: latencies.length / elapsedS, cpuMsPerRequest: (machineBusyCpuMs() - cpuBefore) / latencies.length };
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The cache's share: hits and misses counted by the server itself (GET /api/metrics, loopback), and a writer
//    that keeps making kept lists stale while a load runs.
// ---------------------------------------------------------------------------------------------------------------
async function cacheReads(baseUrl: string): Promise<{ hit: number; miss: number }> {
  const text = await (await fetch(`${baseUrl}/api/metrics`)).text();
  const count = (result: string) => Number(new RegExp(`^switchyard_read_cache_total\\{[^}]*procedure="sites\\.list"[^}]*result="${result}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hit: count('hit'), miss: count('miss') };
}

async function measuredLoad(baseUrl: string, seeded: Seeded, seconds: number) {
  const before = await cacheReads(baseUrl);
  const run = await load(baseUrl, seeded, seconds);
  if (run.failures > 0) throw new Error(`${run.failures} of ${run.latencies.length} requests did not answer 200`);
  const after = await cacheReads(baseUrl);
  const hits = after.hit - before.hit;
  return { ...run, p50: percentile(run.latencies, 50), p95: percentile(run.latencies, 95), p99: percentile(run.latencies, 99), hitRatio: hits / (hits + after.miss - before.miss) };
}

/** Renames one site of one tenant after another, as the owner, until stopped: each change stales that tenant's lists. */
function keepChanging(ownerUrl: string, seeded: Seeded): { stop: () => Promise<number> } {
  const owner = connect(ownerUrl, { max: 1 });
  let running = true;
  let changes = 0;
  const done = (async () => {
    const started = performance.now();
    while (running) {
      const tenantId = seeded.tenantIds[changes % seeded.tenantIds.length]!;
      await withTenant(owner.db, tenantId, (tx) => tx.update(sites).set({ description: `changed ${changes}` })
        .where(and(eq(sites.tenantId, tenantId), eq(sites.slug, 'site-1'))));
      changes++;
      const due = started + (changes * 1000) / CHANGES_PER_SECOND;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
    await owner.close();
    return changes;
  })();
  return { stop: () => { running = false; return done; } };
}

const describeLoad = (r: Awaited<ReturnType<typeof measuredLoad>>, seconds: number) =>
  `${r.latencies.length} requests from ${CLIENTS} clients in ${seconds} s: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, `
  + `${r.rps.toFixed(0)} req/s, ${r.cpuMsPerRequest.toFixed(2)} ms of the machine's CPU per request, ${(r.hitRatio * 100).toFixed(1)}% answered from kept lists`;

const loadFigures = (r: Awaited<ReturnType<typeof measuredLoad>>) => ({
  p50_ms: Number(r.p50.toFixed(2)), p95_ms: Number(r.p95.toFixed(2)), rps: Math.round(r.rps),
  cpu_ms_per_request: Number(r.cpuMsPerRequest.toFixed(3)), cache_hit_ratio: Number(r.hitRatio.toFixed(3)), requests: r.latencies.length,
});

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  let server: ChildProcess | undefined;
  try {
    await runMigrations(pg.ownerUrl);
    const owner = connect(pg.ownerUrl, { max: 2 });
    const seedStarted = performance.now();
    const seeded = await seed(owner);
    await owner.close();
    log(`seeded ${TENANTS} tenants x ${SITES_PER_TENANT} sites x ${MEMBERS_PER_TENANT} members in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    // Both sides over the same transport as the app (the embedded server's Unix socket), so only RLS differs.
    const ownerOverAppTransport = pg.socketDir ? `${pg.ownerUrl}?host=${encodeURIComponent(pg.socketDir)}` : pg.ownerUrl;
    const rls = await measureRls(ownerOverAppTransport, pg.appUrl, seeded.tenantIds);
    const rlsRatio = rls.rlsMs / rls.ownerMs;
    log(`site-list query: ${rls.rlsMs.toFixed(3)} ms under RLS (app role) vs ${rls.ownerMs.toFixed(3)} ms as the owner without RLS (medians of ${RLS_ITERATIONS}): ratio ${rlsRatio.toFixed(2)}; whole withTenant transaction ${rls.withTenantMs.toFixed(3)} ms`);

    const started = await startServer(pg.ownerUrl, pg.appUrl, dataDir);
    server = started.child;
    await load(started.baseUrl, seeded, 2); // warm-up: JIT, pools, Next's route modules
    const steady = await measuredLoad(started.baseUrl, seeded, SECONDS);
    log(describeLoad(steady, SECONDS));

    const changingSeconds = Math.max(2, Math.round(SECONDS / 2));
    const writer = keepChanging(pg.ownerUrl, seeded);
    const changing = await measuredLoad(started.baseUrl, seeded, changingSeconds);
    const changes = await writer.stop();
    log(`while ${(changes / changingSeconds).toFixed(0)} tenants a second changed: ${describeLoad(changing, changingSeconds)}`);

    const rss = await peakRssMiB(server.pid!);
    log(`server peak RSS ${rss.toFixed(0)} MiB${steady.p95 < 50 ? '' : ' -- p95 over the 50 ms target'}${rlsRatio <= 1.2 ? '' : ' -- RLS ratio over 1.2'}`);
    log(JSON.stringify({
      ...loadFigures(steady), rls_ratio: Number(rlsRatio.toFixed(3)), peak_rss_mib: Math.round(rss), clients: CLIENTS, cpus: os.cpus().length,
      changing: { ...loadFigures(changing), changes_per_s: Math.round(changes / changingSeconds) },
    }));
  } finally {
    await stopServer(server);
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBench('api', main);
