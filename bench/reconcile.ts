/**
 * Reconciler sweep benchmark: 500 environments (10 sites x 50), each a created (not started) simulator container
 * made from its own plan, all desired stopped under 'report'. Times one full sweep (list, inspect and compare every
 * container with its plan) against the floor: a raw dockerode listContainers with the same label filter, in
 * alternating rounds of the same run. Target: a sweep under 1 second. Everything created carries a per-run label
 * and is removed at the end, on failure and on Ctrl-C too.
 * The last line printed is one JSON object: {"sweep_ms":…,"floor_ms":…,"ratio":…,"containers":…,"peak_rss_mib":…}.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { ensureSimulatorImage } from '../e2e/gateway-sim/image';
import { parseStack, planStack, toEngineRequests, type StackPlan } from '../lib/gateway';
import { Reconciler, type DesiredEnvironment } from '../server/reconciler';
import { DockerRuntime, MANAGED_BY_LABEL } from '../server/runtime';

const SITES = 10;
const PER_SITE = Number(process.env.BENCH_PER_SITE ?? 50);
const ROUNDS = 7;
const PARALLEL = 10;
const VERSION = '8.3.4';
const runId = randomBytes(4).toString('hex');
const BENCH_LABEL = 'io.switchyard.bench.run';
const benchLabels = { [BENCH_LABEL]: runId };
const docker = new Docker();

function planOf(site: number, environment: number): StackPlan {
  const spec = { name: 'gw', version: VERSION, image: `switchyard/gateway-sim:${VERSION}`, acceptEula: true, memory: '1GiB' };
  const scope = { kind: 'environment' as const, tenant: `bench${runId}`, site: `s${site}`, environment: `e${environment}` };
  return planStack(parseStack(spec), { projectRoot: '/nonexistent/bench', scope, labels: benchLabels });
}

/** Ctrl-C: stop creating and measuring at the next step, then clean up as on any failure. */
const interrupted = new AbortController();

function checkInterrupted(): void {
  if (interrupted.signal.aborted) throw new Error('interrupted; removing what was created');
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL) await Promise.all(items.slice(start, start + PARALLEL).map(work));
}

/** Networks (one per site), data volumes and containers, created, none started. */
async function createAll(plans: StackPlan[]): Promise<void> {
  const networks = new Map(plans.map((plan) => [plan.network.name, toEngineRequests(plan).networks[0]!]));
  for (const network of networks.values()) await docker.createNetwork({ ...network, Labels: { ...network.Labels, ...benchLabels } });
  await inBatches(plans, async (plan) => {
    checkInterrupted();
    const requests = toEngineRequests(plan);
    for (const volume of requests.volumes) await docker.createVolume(volume);
    for (const { name, body } of requests.containers) await docker.createContainer({ name, ...body });
  });
}

/** Removes everything carrying this run's label; answers what could not be removed. */
async function removeAll(): Promise<string[]> {
  const filters = { label: [`${BENCH_LABEL}=${runId}`] };
  const failed: string[] = [];
  const attempt = (what: string, removal: () => Promise<unknown>) => removal().catch(() => void failed.push(what));
  const containers = await docker.listContainers({ all: true, filters });
  await inBatches(containers, (c) => attempt(`container ${c.Id}`, () => docker.getContainer(c.Id).remove({ force: true, v: true })));
  const volumes = (await docker.listVolumes({ filters })).Volumes ?? [];
  await inBatches(volumes, (v) => attempt(`volume ${v.Name}`, () => docker.getVolume(v.Name).remove()));
  for (const network of await docker.listNetworks({ filters })) await attempt(`network ${network.Name}`, () => docker.getNetwork(network.Id).remove());
  return failed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  await ensureSimulatorImage(VERSION);
  const plans = Array.from({ length: SITES * PER_SITE }, (_, i) => planOf(Math.floor(i / PER_SITE), i % PER_SITE));
  const desired: DesiredEnvironment[] = plans.map((plan, i) => ({
    environmentId: `bench-${i}`, tenant: `bench${runId}`, site: `s${Math.floor(i / PER_SITE)}`, plan, desiredState: 'stopped', policy: 'report',
  }));
  const setup = await time(() => createAll(plans));
  console.log(`created ${plans.length} containers in ${SITES} site networks in ${(setup / 1000).toFixed(1)} s`);

  const reconciler = new Reconciler({ runtime: new DockerRuntime(docker), docker, desired: async () => desired });
  const warm = await reconciler.sweep();
  if (warm.error) throw new Error(`the sweep failed: ${warm.error}`);
  const drifted = warm.environments.filter((environment) => environment.drift.length > 0 || environment.error);
  if (warm.counts.environments !== plans.length || drifted.length > 0) {
    throw new Error(`the sweep should find ${plans.length} environments without drift; it found ${warm.counts.environments}, ${drifted.length} drifted: ${JSON.stringify(drifted[0])}`);
  }
  console.log(`sweep compared ${warm.counts.environments} environments: ${warm.counts.drift} drift, ${warm.counts.orphans} orphans (other Switchyard containers on this engine)`);

  // Alternating rounds, so both measures see the same machine load.
  const floors: number[] = [];
  const sweeps: number[] = [];
  const filters = { label: [`${MANAGED_BY_LABEL}=switchyard`] };
  for (let round = 0; round < ROUNDS; round += 1) {
    checkInterrupted();
    floors.push(await time(() => docker.listContainers({ all: true, filters })));
    sweeps.push(await time(() => reconciler.sweep()));
  }
  const sweepMs = median(sweeps);
  const floorMs = median(floors);
  const ratio = sweepMs / floorMs;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`sweep (median of ${ROUNDS}): ${sweepMs.toFixed(1)} ms${sweepMs < 1000 ? '' : ' -- over the 1 s target'}; rounds ${sweeps.map((ms) => ms.toFixed(0)).join(', ')}`);
  console.log(`floor, raw listContainers (median of ${ROUNDS}): ${floorMs.toFixed(1)} ms; ratio ${ratio.toFixed(2)}`);
  console.log(`peak RSS ${peakRssMiB.toFixed(0)} MiB`);
  console.log(JSON.stringify({
    sweep_ms: Number(sweepMs.toFixed(1)), floor_ms: Number(floorMs.toFixed(1)), ratio: Number(ratio.toFixed(2)), containers: plans.length, peak_rss_mib: Math.round(peakRssMiB),
  }));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal means now: leave the leftovers to the run label.
    if (interrupted.signal.aborted) process.exit(130);
    interrupted.abort();
    process.exitCode = 130;
  });
}

try {
  await main();
} catch (error) {
  process.exitCode ||= 1;
  console.error(error instanceof Error ? error.message : error);
} finally {
  const failed = await removeAll();
  if (failed.length > 0) console.error(`could not remove ${failed.length} objects (label ${BENCH_LABEL}=${runId}), e.g. ${failed[0]}; remove them with docker rm/volume rm/network rm`);
}
