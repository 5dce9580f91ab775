/**
 * Provisioning benchmark: time from the API call to a healthy gateway for 10 gateways, one at a time and 5 at once,
 * against the floor: the same containers from the same kind of plan created, started and waited for directly with
 * dockerode, in the same run. Production build on an embedded Postgres, the simulator image, loopback only.
 * Target: ratio at most 1.15 for both. The last line printed is one JSON object:
 * {"serial_ratio":…,"parallel_ratio":…,"api_serial_ms":…,"floor_serial_ms":…,"api_parallel_ms":…,"floor_parallel_ms":…,"peak_rss_mib":…}.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { ensureSimulatorImage, SIMULATOR_REPOSITORY } from '@/e2e/gateway-sim/image';
import { freePort } from '../tests/setup/global-db';
import { floorPlan, forgetNetworks, provisionDirect } from './support/floor';
import { removeLabelledById } from './support/labelled';
import { rest, signInCookie, type Auth, type Json } from './support/rest';
import { BENCH_OPERATOR, peakRssMiB, startServer, stopServer, type BenchServer } from './support/server';
import { runBench } from './support/run';

const GATEWAYS = 10;
const PARALLEL = 5;
const TARGET_RATIO = 1.15;
const VERSION = '8.3.4';
const POLL_MS = 200; // as the runtime polls the engine for health
const STEP_TIMEOUT_MS = 120_000;
const IMAGE_TEMPLATE = `${SIMULATOR_REPOSITORY}:{version}`;
// Same on both sides: the fast health check and a short simulated start-up.
const SPEC = {
  version: VERSION, acceptEula: true, memory: '1GiB',
  environment: { SIM_STARTUP_DELAY_MS: '100' },
  healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '0s' },
};

const log = (line: string) => process.stdout.write(`${line}\n`);
const runId = randomBytes(3).toString('hex');

/** Runs `count` tasks, at most `width` at a time; answers the wall time in ms. */
async function timed(count: number, width: number, task: (index: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  let failure: unknown;
  // On a failure, take no new task but let the running ones finish, so clean-up finds nothing half-created.
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count && failure === undefined) await task(next++).catch((err: unknown) => { failure ??= err; });
  }));
  if (failure !== undefined) throw failure;
  return performance.now() - started;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${STEP_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The API side: a tenant (the bench operator as owner), a site, a raised quota, an admin token; gateways created
// over REST and polled until running, torn down over REST.
// ---------------------------------------------------------------------------------------------------------------
interface ApiSide { baseUrl: string; root: string; token: Auth; slug: string; environments: string[]; createMs: number[] }

async function prepareApi(baseUrl: string): Promise<ApiSide> {
  const operator = { cookie: await signInCookie(baseUrl, BENCH_OPERATOR.email, BENCH_OPERATOR.password) };
  const slug = `bench-prov-${runId}`;
  const tenant = await rest(baseUrl, operator, 'POST', '/platform/tenants', { slug, name: 'Provisioning bench', ownerEmail: BENCH_OPERATOR.email });
  const tenantPath = `/tenants/${tenant.id}`;
  await rest(baseUrl, operator, 'PUT', `${tenantPath}/quota`, { maxEnvironments: 4 * GATEWAYS, maxCpus: 4 * GATEWAYS, maxMemoryMib: 4 * GATEWAYS * 1024 });
  const site = await rest(baseUrl, operator, 'POST', `${tenantPath}/sites`, { slug: 'plant', name: 'Plant' });
  const minted = await rest(baseUrl, operator, 'POST', `${tenantPath}/tokens`, { name: 'bench', role: 'admin' });
  return { baseUrl, root: `${tenantPath}/sites/${site.id}/environments`, token: { bearer: minted.token as string }, slug, environments: [], createMs: [] };
}

function apiCall(side: ApiSide, method: string, suffix: string, body?: unknown): Promise<Json> {
  return rest(side.baseUrl, side.token, method, `${side.root}${suffix}`, body);
}

/** As a CI script would: create, then wait on the provision job (a long poll) until it has finished. */
async function provisionViaApi(side: ApiSide, name: string): Promise<void> {
  side.environments.push(name);
  const asked = performance.now();
  const created = await apiCall(side, 'POST', '', { name, stage: 'dev', spec: SPEC });
  side.createMs.push(performance.now() - asked);
  const number = (created.environment as Json).latestJob?.number as number;
  await until(`provision of ${name}`, async () => {
    const job = await apiCall(side, 'GET', `/${name}/jobs/${number}?waitSeconds=30`);
    if (job.status === 'failed' || job.status === 'rolled_back') throw new Error(`provision of ${name} ${job.status}: ${job.error}`);
    return job.status === 'succeeded' ? true : undefined;
  });
}

async function teardownViaApi(side: ApiSide): Promise<void> {
  const names = side.environments.splice(0);
  await Promise.all(names.map(async (name) => {
    const env = await apiCall(side, 'POST', `/${name}/teardown`, { confirm: name });
    const number = env.latestJob?.number as number;
    await until(`teardown of ${name}`, async () => {
      const job = await apiCall(side, 'GET', `/${name}/jobs/${number}?waitSeconds=30`);
      if (job.status === 'failed' || job.status === 'rolled_back') throw new Error(`teardown of ${name} ${job.status}: ${job.error}`);
      return job.status === 'succeeded' ? true : undefined;
    });
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// The floor: the same plan straight through dockerode, on ports of its own; removed by its labels.
// ---------------------------------------------------------------------------------------------------------------
interface FloorSide { docker: Docker; slug: string; dataDir: string; portLow: number; used: number }

async function provisionFloor(side: FloorSide, name: string): Promise<void> {
  const httpPort = side.portLow + side.used++;
  const plan = floorPlan(SPEC, { tenant: side.slug, site: 'plant', environment: name, httpPort, projectRoot: path.join(side.dataDir, 'floor', name) });
  await provisionDirect(side.docker, plan);
}

async function removeFloor(side: FloorSide): Promise<void> {
  side.used = 0;
  forgetNetworks();
  await removeLabelledById(side.docker, `io.switchyard.tenant=${side.slug}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The run: warm both sides once, then alternate floor and API for the serial and the parallel rounds.
// ---------------------------------------------------------------------------------------------------------------
async function round(label: string, width: number, api: ApiSide, floor: FloorSide) {
  const floorMs = await timed(GATEWAYS, width, (i) => provisionFloor(floor, `${label}-${i}`));
  await removeFloor(floor);
  api.createMs = [];
  const apiMs = await timed(GATEWAYS, width, (i) => provisionViaApi(api, `${label}-${i}`));
  const jobs = await provisionJobTimes(api);
  const createMs = median(api.createMs);
  await teardownViaApi(api);
  const ratio = apiMs / floorMs;
  log(`${label === 's' ? 'one at a time' : `${width} at once`}: API ${apiMs.toFixed(0)} ms, floor ${floorMs.toFixed(0)} ms for ${GATEWAYS} gateways (${(apiMs / GATEWAYS).toFixed(0)} vs ${(floorMs / GATEWAYS).toFixed(0)} ms each): ratio ${ratio.toFixed(2)}${ratio <= TARGET_RATIO ? '' : ` -- over the ${TARGET_RATIO} target`}`);
  log(`  API (medians): ${createMs.toFixed(0)} ms answering the create request, ${jobs.queuedMs.toFixed(0)} ms queued before a worker took the job, ${jobs.runMs.toFixed(0)} ms running its steps`);
  return { apiMs, floorMs, ratio };
}

/** Where the API's time goes: each provision job's wait in the queue and its run, from the job's own timestamps. */
async function provisionJobTimes(api: ApiSide): Promise<{ queuedMs: number; runMs: number }> {
  const jobs = await Promise.all(api.environments.map((name) => apiCall(api, 'GET', `/${name}/jobs/1`)));
  const span = (from: string, to: string) => Date.parse(to) - Date.parse(from);
  return {
    queuedMs: median(jobs.map((job) => span(job.createdAt, job.startedAt))),
    runMs: median(jobs.map((job) => span(job.startedAt, job.finishedAt))),
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function main() {
  process.env.SWITCHYARD_GATEWAY_IMAGE = IMAGE_TEMPLATE; // the floor's effectiveSpec picks the image as the server does
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-prov-'));
  const portLow = 43_000 + Math.floor(Math.random() * 100) * 50;
  const floor: FloorSide = { docker: new Docker(), slug: `bench-floor-${runId}`, dataDir, portLow: portLow + 4 * GATEWAYS, used: 0 };
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  let server: BenchServer | undefined;
  let api: ApiSide | undefined;
  let failed = true;
  try {
    log(`simulator image ${await ensureSimulatorImage(VERSION)}`);
    await runMigrations(pg.ownerUrl);
    server = await startServer(pg.ownerUrl, pg.appUrl, dataDir, {
      SWITCHYARD_GATEWAY_IMAGE: IMAGE_TEMPLATE, SWITCHYARD_PORT_RANGE: `${portLow}-${portLow + 4 * GATEWAYS - 1}`, SWITCHYARD_RECONCILER: 'false', LOG_LEVEL: 'warn',
    });
    api = await prepareApi(server.baseUrl);

    // Warm-up: JIT, pools, route modules, the queue's first poll; not counted.
    await provisionFloor(floor, 'warm');
    await removeFloor(floor);
    await provisionViaApi(api, 'warm');
    await teardownViaApi(api);

    const serial = await round('s', 1, api, floor);
    const parallel = await round('p', PARALLEL, api, floor);
    const rss = await peakRssMiB(server.child.pid!);
    log(`server peak RSS ${rss.toFixed(0)} MiB`);
    log(JSON.stringify({
      serial_ratio: Number(serial.ratio.toFixed(3)), parallel_ratio: Number(parallel.ratio.toFixed(3)),
      api_serial_ms: Math.round(serial.apiMs), floor_serial_ms: Math.round(serial.floorMs),
      api_parallel_ms: Math.round(parallel.apiMs), floor_parallel_ms: Math.round(parallel.floorMs),
      peak_rss_mib: Math.round(rss), gateways: GATEWAYS, parallel: PARALLEL, cpus: os.cpus().length,
    }));
    failed = false;
  } finally {
    await cleanUp(failed, api, floor, server, pg, dataDir);
  }
}

/** Everything both sides created goes, even after a failure: API teardown first, then anything still labelled. */
async function cleanUp(failed: boolean, api: ApiSide | undefined, floor: FloorSide, server: BenchServer | undefined, pg: { stop(): Promise<void> }, dataDir: string) {
  const problems: string[] = [];
  const attempt = (what: string, work: () => Promise<void>) => work().catch((err: unknown) => { problems.push(`${what}: ${(err as Error).message}`); });
  if (api && server?.child.exitCode === null) await attempt('API teardown', () => teardownViaApi(api));
  if (api) await attempt('API leftovers', () => removeLabelledById(floor.docker, `io.switchyard.tenant=${api.slug}`));
  await attempt('floor removal', () => removeFloor(floor));
  await attempt('server stop', () => stopServer(server?.child));
  await attempt('Postgres stop', () => pg.stop());
  if (failed && server) {
    const kept = path.join(os.tmpdir(), `switchyard-bench-provision-${runId}.log`);
    await copyFile(server.logFile, kept).then(() => problems.push(`server log kept at ${kept}`), () => undefined);
  }
  await rm(dataDir, { recursive: true, force: true });
  if (problems.length > 0) process.stderr.write(`bench:provision clean-up: ${problems.join('; ')}\n`);
}

runBench('provision', main);
