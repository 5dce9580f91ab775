import { restoreEngineDate } from './native-date'; // before Next, which replaces Date when it loads
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import next from 'next';
import { CLIENT_IP_HEADER } from '@/server/http/request-meta';
import { logger } from '@/server/logger';

const ROOT = process.cwd();
const SOURCES = ['app', 'components', 'server', 'lib', 'db', 'middleware.ts', 'next.config.mjs', 'postcss.config.mjs', 'package-lock.json', 'tsconfig.json'];
const STAMP = path.join(ROOT, '.next', 'switchyard-sources');

/** A fingerprint of the console's sources (paths, sizes and times), to rebuild only when they changed. */
function sourcesFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.') && name !== 'node_modules') walk(path.join(p, name));
    } else hash.update(`${path.relative(ROOT, p)}:${st.size}:${st.mtimeMs}\n`);
  };
  for (const s of SOURCES) walk(path.join(ROOT, s));
  return hash.digest('hex');
}

const LOCK = path.join(ROOT, '.next-build.lock');
const LOCK_STALE_MS = 10 * 60_000;

/** Two processes starting at once (tests, a second terminal) must not build into the same folder together. */
function withBuildLock(fn: () => void): void {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build holds ${LOCK}; remove it if no build is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

const isCurrent = (fingerprint: string) =>
  existsSync(path.join(ROOT, '.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint;

export function buildIfStale(): void {
  if (isCurrent(sourcesFingerprint())) return;
  withBuildLock(() => {
    const fingerprint = sourcesFingerprint();
    if (isCurrent(fingerprint)) return;
    build(fingerprint);
  });
}

function build(fingerprint: string): void {
  process.stdout.write('Building the console (first start or changed sources; this takes a minute or two)...\n');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) throw new Error('next build failed: see the output above');
  writeFileSync(STAMP, fingerprint);
}

/**
 * Serves the console and API; the client address comes from the socket, never from a header the client sent.
 * The build is the caller's (scripts/start.ts builds once before any worker loads it).
 */
export async function startConsole(opts: { dev: boolean; host: string; port: number }): Promise<{ close: () => Promise<void>; server: Server }> {
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const app = next({ dev: opts.dev, dir: ROOT, hostname: opts.host, port: opts.port });
  await app.prepare();
  restoreEngineDate();
  const handle = app.getRequestHandler();
  // Loaded here, not at the top: the test set-up imports this file for buildIfStale and needs none of the server.
  const { createRequestObserver } = await import('@/server/http/observe');
  const { createRestHandler } = await import('@/server/http/rest-node');
  const observe = await createRequestObserver();
  const serveRest = createRestHandler();
  const server = createServer((req, res) => {
    delete req.headers[CLIENT_IP_HEADER];
    const ip = req.socket.remoteAddress;
    if (ip) req.headers[CLIENT_IP_HEADER] = ip.replace(/^::ffff:/, '');
    observe(req, res, async () => { if (!(await serveRest(req, res))) await handle(req, res); }).catch((err) => {
      logger.error({ err }, 'unhandled request error');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(opts.port, opts.host, resolve));
  return { server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
