// A module deploy: the .modl is written into the environment's folder and listed as deployed (mounted into
// user-lib/modules, its id accepted on 8.3), the gateway is re-created as a change would (data volume kept, wait
// healthy), and the gateway's own module list must show it healthy. A failure puts the previous list back.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModuleMetadata } from '@/lib/artifacts/types';
import { formatBytes } from '@/lib/format/bytes';
import { deployedVersion, type DeployParams } from '@/server/services/artifacts-deploy';
import {
  gatewayReadableDir, gatewayReadableFile, moduleFile, pruneModuleFiles, readDeployedModules, writeDeployedModules, type DeployedModule,
} from '@/server/services/environment-modules';
import { environmentFolder } from '@/server/services/environments-spec';
import { contentKey, type ObjectStore } from '@/server/storage';
import { GatewayRefused, type GatewayEndpoint } from './gateway-api';
import { planOf, provisionPlan, type Run } from './job-run';
import { logger } from '@/server/logger';

/** How long a healthy gateway may take to list a module it loaded (a real gateway loads modules after RUNNING). */
const LISTED_WITHIN_MS = 30_000;

interface ModuleItem { id?: string; name?: string; version?: string; state?: string; reasons?: string[] }

/** Answers the deployed entry (for the job's record step). */
export async function deployModule(run: Run, gateway: GatewayEndpoint, store: ObjectStore): Promise<DeployedModule> {
  const params = run.params as unknown as DeployParams;
  const folder = environmentFolder(run.env);
  const placed = await run.log.run('download', async () => {
    const { artifact, version } = await deployedVersion(run.deps.db, run.env.tenantId, params.versionId);
    const meta = version.metadata as ModuleMetadata;
    const file = moduleFile(meta.id, version.sha256);
    const written = await writeModule(() => store.getStream(contentKey(run.env.tenantId, version.sha256)), path.join(folder, file), version.sha256);
    const entry: DeployedModule = {
      id: meta.id, file, sha256: version.sha256, versionId: version.id, artifactName: artifact.name, versionNumber: version.number,
      moduleVersion: meta.version, deploymentId: params.deploymentId, previous: null,
    };
    return { entry, meta, written, sizeBytes: version.sizeBytes };
  }, ({ entry, meta, written, sizeBytes }) => `${written ? 'wrote' : 'already had'} ${path.basename(entry.file)} (${formatBytes(sizeBytes)}), module "${meta.name}" ${meta.version}, version ${entry.versionNumber} of "${entry.artifactName}"`);
  const { entry, meta } = placed;

  await run.log.run('accept', async () => {
    const listed = readDeployedModules(folder);
    const current = listed.find((m) => m.id === entry.id);
    // A job run again after its worker died keeps what the first run replaced.
    const previous = current?.deploymentId === entry.deploymentId ? current.previous : current ? withoutPrevious(current) : null;
    const next = current ? listed.map((m) => (m.id === entry.id ? { ...entry, previous } : m)) : [...listed, { ...entry, previous }];
    await writeDeployedModules(folder, next);
    // Read back from the plan the gateway will run, which is what counts (8.1 reads no accept lists).
    const { plan } = await planOf(run);
    const accepted = (plan.services[0]?.env.ACCEPT_MODULE_LICENSES ?? '').split(',').includes(entry.id);
    return { previous, accepted };
  }, ({ previous, accepted }) => `${previous ? `replaces version ${previous.versionNumber} of "${previous.artifactName}" (module ${previous.moduleVersion}); ` : ''}` +
    `mounted as user-lib/modules/${entry.id}.modl${accepted ? `; "${entry.id}" in ACCEPT_MODULE_LICENSES and ACCEPT_MODULE_CERTS` : ''}`);

  await recreate(run);
  await run.log.run('module healthy', () => listedHealthy(gateway, meta, Math.min(LISTED_WITHIN_MS, run.deps.healthTimeoutMs ?? LISTED_WITHIN_MS)),
    (item) => `the gateway lists module "${item.name ?? meta.name}" ${item.version} as healthy`);
  await run.log.run('clean up', async () => {
    const listed = readDeployedModules(folder).map((m) => (m.id === entry.id ? { ...m, previous: null } : m));
    await writeDeployedModules(folder, listed);
    // Leftover folders are only untidy: the next deploy prunes them again, and the module already runs.
    return pruneModuleFiles(folder, listed).catch((err: unknown) => {
      logger.warn({ err, environmentId: run.env.id }, 'could not remove replaced module folders');
      return [] as string[];
    });
  }, (removed) => (removed.length > 0 ? `removed ${removed.length} replaced or unused module folder(s)` : 'nothing to remove'));
  return entry;
}

/**
 * After a failed module deploy: the entry this deployment wrote gives way to the one it replaced (or none), and if
 * that changed the list, the gateway is re-created from it. True when the gateway runs the previous modules again.
 */
export async function revertModule(run: Run): Promise<boolean | undefined> {
  const params = run.params as unknown as DeployParams;
  const folder = environmentFolder(run.env);
  const reverted = await run.log.run('revert', async () => {
    const listed = readDeployedModules(folder);
    const mine = listed.find((m) => m.id === params.moduleId && m.deploymentId === params.deploymentId);
    const next = mine ? listed.flatMap((m) => (m !== mine ? [m] : m.previous ? [{ ...m.previous, previous: null }] : [])) : listed;
    if (mine) await writeDeployedModules(folder, next);
    await pruneModuleFiles(folder, next);
    return mine ?? null;
  }, (mine) => (mine ? `module list put back (${mine.previous ? `version ${mine.previous.versionNumber} of "${mine.previous.artifactName}"` : `without "${mine.id}"`})` : 'the module list was not changed'));
  try {
    if (!reverted) return undefined;
    await recreate(run);
    return true;
  } catch {
    return false;
  } finally {
    await run.log.flushed();
  }
}

/** The same runtime provision a change runs: the container is re-created when its mounts or environment changed. */
async function recreate(run: Run): Promise<void> {
  const { plan } = await planOf(run);
  await provisionPlan(run, plan);
}

const withoutPrevious = ({ previous: _previous, ...rest }: DeployedModule) => rest;

/** Streams the object into place (hash checked, 0644, gateway-owned); an identical file already there is kept. */
async function writeModule(open: () => Promise<Readable>, target: string, sha256: string): Promise<boolean> {
  if (await stat(target).then(() => true, () => false)) {
    if ((await sha256Of(createReadStream(target))) === sha256) return false;
  }
  await gatewayReadableDir(path.dirname(path.dirname(target)));
  await gatewayReadableDir(path.dirname(target));
  const partial = `${target}.part`;
  const hash = createHash('sha256');
  const hashing = new Transform({ transform(chunk: Buffer, _encoding, done) { hash.update(chunk); done(null, chunk); } });
  try {
    await pipeline(await open(), hashing, createWriteStream(partial, { mode: 0o644 }));
    const actual = hash.digest('hex');
    if (actual !== sha256) throw new Error(`the stored module's bytes do not match the version (SHA-256 ${actual}, expected ${sha256}); the store is damaged: upload the module again`);
    await gatewayReadableFile(partial);
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return true;
}

async function sha256Of(source: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function moduleList(gateway: GatewayEndpoint, which: 'healthy' | 'quarantined'): Promise<ModuleItem[]> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${gateway.port}/data/api/v1/modules/${which}`, {
      headers: { 'X-Ignition-API-Token': gateway.token }, signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new Error(`the gateway did not answer the list of ${which} modules: ${err instanceof Error ? err.message : String(err)}; is it running?`);
  }
  if (!response.ok) throw new GatewayRefused(`the list of ${which} modules`, response.status, await response.text());
  const body = (await response.json().catch(() => ({}))) as { items?: unknown };
  return Array.isArray(body.items) ? (body.items as ModuleItem[]) : [];
}

/** Waits until modules/healthy lists this id at this version; a quarantine is a failure with the gateway's reasons. */
async function listedHealthy(gateway: GatewayEndpoint, meta: ModuleMetadata, withinMs: number): Promise<ModuleItem> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const healthy = (await moduleList(gateway, 'healthy')).find((m) => m.id === meta.id);
    if (healthy?.version === meta.version) return healthy;
    const quarantined = (await moduleList(gateway, 'quarantined')).find((m) => m.id === meta.id);
    if (quarantined) throw new Error(`the gateway quarantined module "${meta.id}": ${(quarantined.reasons ?? []).join('; ') || 'no reason given'}`);
    if (Date.now() > deadline) {
      throw new Error(healthy
        ? `the gateway still runs module "${meta.id}" ${healthy.version ?? '(no version)'}, not ${meta.version}, after it was re-created`
        : `the gateway does not list module "${meta.id}" after it was re-created (waited ${Math.round(withinMs / 1000)} s)`);
    }
    await sleep(500);
  }
}
