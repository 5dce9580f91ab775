/**
 * Artifact store benchmark: the production build on an embedded Postgres with its embedded S3 server (s3rver, inside
 * the app's process). 1 GiB (a random 16 MiB block repeated, kind "other") goes through the app's upload route with
 * an API token, then the same bytes go straight into the same S3 server with the minio client's multipart calls
 * (16 MiB parts, as the store sends them). Prints both throughputs, their ratio (target at least 0.8), the app
 * process's peak RSS growth during its upload (target under 150 MiB), and the time to inspect a ~50 MiB project
 * export (bench/artifact-parse.ts, run as its own process after the server stopped).
 * Run: npm run bench:artifacts   (BENCH_MIB=1024 sets the upload size)
 * The last line printed is one JSON object: {"ratio":…,"app_mib_s":…,"direct_mib_s":…,"app_rss_growth_mib":…,"parse_50mb_ms":…}.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'minio';
import { connect } from '@/db/client';
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { DEFAULT_PART_SIZE } from '@/server/storage/upload';
import { freePort } from '../tests/setup/global-db';
import { MiB, putDirect, putUpload, randomBlock, repeatedBlock, resetPeakRss, rssMiB, seedTenantWithToken } from './support/bytes';
import { peakRssMiB, startServer, stopServer } from './support/server';
import { runBench } from './support/run';

const TOTAL = Number(process.env.BENCH_MIB ?? 1024) * MiB;
const BUCKET = 'switchyard';
const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { seconds: (performance.now() - started) / 1000, result };
}

/** bench/artifact-parse.ts in its own process (it is a script, not a module); answers its last JSON line. */
function runParseBench(): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/artifact-parse.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`bench/artifact-parse.ts exited with ${code}: ${last}`));
      try { resolve(JSON.parse(last) as Record<string, number>); } catch { reject(new Error(`bench/artifact-parse.ts printed no JSON last line: ${last}`)); }
    });
  });
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-artifacts-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
  let server: ChildProcess | undefined;
  try {
    await runMigrations(pg.ownerUrl);
    const owner = connect(pg.ownerUrl, { max: 1 });
    const { tenantId, token } = await seedTenantWithToken(owner);
    await owner.close();

    const s3Port = await freePort();
    const started = await startServer(pg.ownerUrl, pg.appUrl, dataDir, { SWITCHYARD_S3_PORT: String(s3Port), S3_BUCKET: BUCKET, LOG_LEVEL: 'warn' });
    server = started.child;
    const pid = server.pid!;
    const s3 = new Client({ endPoint: '127.0.0.1', port: s3Port, useSSL: false, accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'us-east-1', pathStyle: true });
    const block = randomBlock();
    const uploadUrl = (name: string) => new URL(`${started.baseUrl}/api/v1/tenants/${tenantId}/uploads?name=${name}&kind=other&filename=${name}.bin`);

    // Warm-up: Next compiles the route's module and the connections open, on a small file of other bytes.
    const warm = await putUpload(uploadUrl('warm-up'), token, repeatedBlock(randomBlock(MiB), 8 * MiB), 8 * MiB);
    if (warm.status !== 201) throw new Error(`warm-up upload answered ${warm.status}: ${JSON.stringify(warm.json)}`);
    await putDirect(s3, BUCKET, 'bench/warm-up', repeatedBlock(randomBlock(MiB), 8 * MiB), DEFAULT_PART_SIZE);

    const rssBefore = await rssMiB(pid);
    const resetOk = await resetPeakRss(pid);
    const app = await timed(() => putUpload(uploadUrl('bench-1gib'), token, repeatedBlock(block, TOTAL), TOTAL));
    const peak = await peakRssMiB(pid);
    if (app.result.status !== 201) throw new Error(`the upload route answered ${app.result.status}: ${JSON.stringify(app.result.json)}; see ${started.logFile}`);
    const version = app.result.json.version as { sizeBytes: number; sha256: string };
    if (version.sizeBytes !== TOTAL) throw new Error(`the app stored ${version.sizeBytes} bytes, not ${TOTAL}`);

    const direct = await timed(() => putDirect(s3, BUCKET, 'bench/direct-1gib', repeatedBlock(block, TOTAL), DEFAULT_PART_SIZE));
    const stat = await s3.statObject(BUCKET, 'bench/direct-1gib');
    if (stat.size !== TOTAL) throw new Error(`the direct put stored ${stat.size} bytes, not ${TOTAL}`);

    const mib = TOTAL / MiB;
    const appMiBs = mib / app.seconds;
    const directMiBs = mib / direct.seconds;
    const growth = peak - rssBefore;
    log(`app route:  ${mib} MiB in ${app.seconds.toFixed(2)} s = ${appMiBs.toFixed(1)} MiB/s (stream to staging, hash, inspect, copy to the content key, commit)`);
    log(`direct S3:  ${mib} MiB in ${direct.seconds.toFixed(2)} s = ${directMiBs.toFixed(1)} MiB/s (minio client multipart, ${DEFAULT_PART_SIZE / MiB} MiB parts)`);
    log(`ratio app/direct ${(appMiBs / directMiBs).toFixed(2)}${appMiBs / directMiBs >= 0.8 ? '' : ' -- below the 0.8 target'}`);
    log(`app process RSS ${rssBefore.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB during the upload: growth ${growth.toFixed(0)} MiB${resetOk ? '' : ' (VmHWM could not be reset: the peak may predate the upload)'}${growth < 150 ? '' : ' -- over the 150 MiB target'}`);
    await stopServer(server);
    server = undefined;

    const parse = await runParseBench();
    log(`inspecting a ${parse.mib} MiB project export (${parse.resources} resources): ${parse.parse_ms} ms from a file, ${parse.source_parse_ms} ms over ranged reads`);
    log(JSON.stringify({
      ratio: round(appMiBs / directMiBs, 3), app_mib_s: round(appMiBs), direct_mib_s: round(directMiBs), app_rss_growth_mib: Math.round(growth),
      parse_50mb_ms: parse.parse_ms, parse_ranged_ms: parse.source_parse_ms, parse_mib: parse.mib, upload_mib: mib, app_s: round(app.seconds, 2), direct_s: round(direct.seconds, 2), cpus: os.cpus().length,
    }));
  } finally {
    await stopServer(server);
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBench('artifacts', main);
