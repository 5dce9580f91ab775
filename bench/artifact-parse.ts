/**
 * Artifact inspection benchmark: a ~50 MiB project export with thousands of resources (Perspective views with
 * thumbnails, scripts, named queries) is written to a temp file, then inspectArtifact runs on it from the path and
 * from a RandomAccessSource over a file handle (the shape of an S3 object read by ranges; requests are counted).
 * Run: node --import tsx bench/artifact-parse.ts   (BENCH_VIEWS=4000 sets the view count)
 * The last line printed is one JSON object: {"parse_ms":…,"resources":…,"mib":…,"peak_rss_mib":…,…}.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { inspectArtifact, type ProjectMetadata } from '../lib/artifacts';
import { resourceJson } from '../lib/artifacts/fixtures';
import { fileHandleSource, type RandomAccessSource } from '../lib/zip';

const VIEWS = Number(process.env.BENCH_VIEWS ?? 5000);
const SCRIPTS = Math.round(VIEWS / 4);
const QUERIES = Math.round(VIEWS / 8);
const ROUNDS = 3;
const PERSPECTIVE = 'com.inductiveautomation.perspective';

/** A view.json of plausible shape: nested components, some repetition, some unique values. */
function viewJson(i: number): string {
  const children = Array.from({ length: 40 }, (_, n) => ({
    type: n % 3 ? 'ia.display.label' : 'ia.input.button',
    meta: { name: `Component_${i}_${n}` },
    position: { x: (n * 37) % 800, y: (n * 53) % 600, width: 120, height: 32 },
    props: { text: `Tag ${randomBytes(6).toString('hex')}`, style: { classes: 'plant/standard' } },
    propConfig: { 'props.text': { binding: { type: 'tag', config: { path: `[default]Line${i % 20}/Motor${n}/Status` } } } },
  }));
  return JSON.stringify({ custom: {}, params: {}, props: {}, root: { type: 'ia.container.coord', children } }, null, 2);
}

/** Writes the export (run in a child process, so yazl's buffers do not count towards the inspection's memory). */
async function writeExport(path: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2024-01-01T00:00:00Z');
  const add = (name: string, data: string | Buffer, compress = true) =>
    zip.addBuffer(typeof data === 'string' ? Buffer.from(data) : data, name, { mtime, compress });
  add('project.json', JSON.stringify({ title: 'Bench plant', description: '', parent: '', enabled: true, inheritable: false }));
  for (let i = 0; i < VIEWS; i++) {
    const folder = `${PERSPECTIVE}/views/Area${i % 25}/View${i}`;
    add(`${folder}/resource.json`, resourceJson(['view.json', 'thumbnail.png']));
    add(`${folder}/view.json`, viewJson(i));
    add(`${folder}/thumbnail.png`, randomBytes(9 * 1024), false);
  }
  for (let i = 0; i < SCRIPTS; i++) {
    const folder = `ignition/script-python/lib${i % 30}/module${i}`;
    add(`${folder}/resource.json`, resourceJson(['code.py']));
    add(`${folder}/code.py`, `def handler${i}(event):\n    return system.tag.readBlocking(["[default]Line${i}/Speed"])\n`.repeat(20));
  }
  for (let i = 0; i < QUERIES; i++) {
    const folder = `ignition/named-query/reports/q${i}`;
    add(`${folder}/resource.json`, resourceJson(['query.sql']));
    add(`${folder}/query.sql`, `SELECT * FROM line_events WHERE line = :line AND id > ${i} ORDER BY t DESC`);
  }
  add(`${PERSPECTIVE}/page-config/resource.json`, resourceJson(['config.json']));
  add(`${PERSPECTIVE}/page-config/config.json`, '{"pages":{"/":{"viewPath":"Area0/View0"}}}');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/** A file-handle source that counts requests and bytes, as the S3 store would see ranged GETs. */
function countedSource(inner: RandomAccessSource) {
  const counts = { requests: 0, bytes: 0 };
  const source: RandomAccessSource = {
    size: inner.size,
    read: async (offset, length) => {
      counts.requests++;
      counts.bytes += length;
      return inner.read(offset, length);
    },
  };
  return { source, counts };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await work();
  return { ms: performance.now() - started, result };
}

if (process.argv[2] === '--build') {
  await writeExport(process.argv[3]!);
  process.exit(0);
}

const dir = await mkdtemp(join(tmpdir(), 'sy-bench-artifacts-'));
try {
  const file = join(dir, 'bench-project.zip');
  const built = await timed(async () => {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--build', file], { stdio: 'inherit' });
    if (child.status !== 0) throw new Error(`building the export failed (exit ${child.status})`);
  });
  const size = (await stat(file)).size;
  const mib = size / 1024 ** 2;
  console.log(`built ${file}: ${mib.toFixed(1)} MiB in ${built.ms.toFixed(0)} ms`);

  // The first path round warms up the JIT; of the measured rounds the fastest counts (neighbours slow the rest).
  await inspectArtifact('project', file, { label: 'bench-project.zip' });
  const pathRounds: number[] = [];
  let metadata: ProjectMetadata | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    const { ms, result } = await timed(() => inspectArtifact('project', file, { label: 'bench-project.zip' }));
    pathRounds.push(ms);
    if (result.kind === 'project') metadata = result;
  }
  if (!metadata) throw new Error('inspection did not return project metadata');

  const handle = await open(file, 'r');
  const sourceRounds: number[] = [];
  let requests = 0;
  let requestedMiB = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const { source, counts } = countedSource(fileHandleSource(handle, size));
      const { ms } = await timed(() => inspectArtifact('project', source, { label: 'bench-project.zip', cache: { blockSize: 1024 ** 2 } }));
      sourceRounds.push(ms);
      requests = counts.requests;
      requestedMiB = counts.bytes / 1024 ** 2;
    }
  } finally {
    await handle.close();
  }

  const pathMs = Math.min(...pathRounds);
  const sourceMs = Math.min(...sourceRounds);
  const files = metadata.resources.reduce((sum, resource) => sum + resource.files, 0);
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`resources ${metadata.resources.length} (${files} files), by module ${JSON.stringify(metadata.counts.byModule)}`);
  console.log(`path source:          ${pathMs.toFixed(0)} ms (fastest of ${ROUNDS}), ${(mib / (pathMs / 1000)).toFixed(0)} MiB/s`);
  console.log(
    `random-access source: ${sourceMs.toFixed(0)} ms (fastest of ${ROUNDS}), ${requests} ranged reads of 1 MiB blocks, ` +
      `${requestedMiB.toFixed(1)} MiB requested`,
  );
  console.log(`peak RSS ${peakRssMiB.toFixed(0)} MiB`);
  console.log(
    JSON.stringify({
      parse_ms: Math.round(pathMs),
      source_parse_ms: Math.round(sourceMs),
      resources: metadata.resources.length,
      files,
      mib: Number(mib.toFixed(1)),
      source_requests: requests,
      source_requested_mib: Number(requestedMiB.toFixed(1)),
      peak_rss_mib: Math.round(peakRssMiB),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
