// The gateway's own HTTP API as jobs use it: streamed backups out, streamed project imports and restores in, and
// its state from /StatusPing. Bodies are never held whole in memory; the token is sent, never logged or echoed.
import { request } from 'node:http';
import { pipeline, Readable, Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GatewayEndpoint { port: number; token: string }

const API = '/data/api/v1/';
const REQUEST_TIMEOUT_MS = 120_000;

/** The gateway's error text, shortened: Ignition (and the simulator) answer JSON { error } or plain text. */
function gatewayWords(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const said = parsed.error ?? parsed.message;
    if (typeof said === 'string') return said.slice(0, 300);
  } catch { /* not JSON */ }
  return body.trim().slice(0, 300) || 'no details';
}

export class GatewayRefused extends Error {
  constructor(readonly what: string, readonly status: number, body: string) {
    super(`the gateway refused ${what} (HTTP ${status}): ${gatewayWords(body)}`);
    this.name = 'GatewayRefused';
  }
}

const unreachable = (what: string, err: unknown) =>
  new Error(`the gateway did not answer ${what}: ${err instanceof Error ? err.message : String(err)}; is it running?`);

/**
 * GET backup as a stream (the caller consumes it); throws GatewayRefused on a non-2xx answer. `timeoutMs` bounds the
 * wait for an answer and then any quiet spell in the body: a large backup that keeps arriving is never cut off.
 */
export async function downloadBackup(gateway: GatewayEndpoint, opts: { timeoutMs?: number } = {}): Promise<Readable> {
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const controller = new AbortController();
  const noAnswer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${gateway.port}${API}backup`, { headers: { 'X-Ignition-API-Token': gateway.token }, signal: controller.signal });
  } catch (err) {
    throw unreachable('the backup request', err);
  } finally {
    clearTimeout(noAnswer);
  }
  if (!response.ok || !response.body) throw new GatewayRefused('the backup', response.status, await response.text());
  const quiet = setTimeout(() => {
    const stalled = new Error(`the gateway stopped sending the backup (nothing for ${timeoutMs / 1000} s)`);
    controller.abort(stalled);
    guard.destroy(stalled);
  }, timeoutMs);
  const guard = new Transform({
    transform(chunk, _encoding, done) { quiet.refresh(); done(null, chunk); },
    flush(done) { clearTimeout(quiet); done(); },
    destroy(err, done) { clearTimeout(quiet); done(err); },
  });
  return pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), guard, () => {}) as Transform;
}

/** POSTs `body` (exactly `size` bytes) to an API path; answers the gateway's JSON reply. */
export function postStream(gateway: GatewayEndpoint, path: string, what: string, body: Readable, size: number): Promise<unknown> {
  // An answer before the whole body was sent (a refusal) must not leave the store's stream open.
  const release = () => { if (!body.readableEnded) body.destroy(); };
  return new Promise<unknown>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: gateway.port, path: `${API}${path}`, method: 'POST', timeout: REQUEST_TIMEOUT_MS,
      headers: { 'X-Ignition-API-Token': gateway.token, 'Content-Type': 'application/octet-stream', 'Content-Length': size },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(unreachable(what, err)));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) return reject(new GatewayRefused(what, res.statusCode ?? 0, text));
        try { resolve(text ? JSON.parse(text) : {}); } catch { resolve({ text }); }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    let sourceFailed: Error | null = null;
    req.on('error', (err) => { body.destroy(); reject(sourceFailed ?? unreachable(what, err)); });
    body.on('error', (err) => {
      sourceFailed = new Error(`reading the file from the artifact store failed during ${what}: ${err.message}`);
      req.destroy(sourceFailed);
    });
    body.pipe(req);
  }).finally(release);
}

/** RUNNING, STARTING, COMMISSIONING...; undefined when nothing answers. */
export async function gatewayState(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/StatusPing`, { signal: AbortSignal.timeout(3_000) });
    return ((await response.json()) as { state?: string }).state;
  } catch {
    return undefined;
  }
}

/**
 * After a restore the gateway restarts: waits for it to leave RUNNING (up to `restartGraceMs`; a gateway that never
 * visibly left is taken as restarted already), then for RUNNING again within `timeoutMs`.
 */
export async function waitRestarted(port: number, opts: { timeoutMs: number; restartGraceMs?: number; pollMs?: number }): Promise<string> {
  const poll = opts.pollMs ?? 250;
  const graceEnds = Date.now() + (opts.restartGraceMs ?? 5_000);
  let left = false;
  while (Date.now() < graceEnds) {
    if ((await gatewayState(port)) !== 'RUNNING') { left = true; break; }
    await sleep(poll);
  }
  const deadline = Date.now() + opts.timeoutMs;
  let last: string | undefined;
  for (;;) {
    last = await gatewayState(port);
    if (last === 'RUNNING') return left ? 'restarted; RUNNING' : 'RUNNING (no restart seen)';
    if (Date.now() > deadline) throw new Error(`the gateway did not report RUNNING within ${Math.round(opts.timeoutMs / 1000)} s after the restore (last state: ${last ?? 'no answer'})`);
    await sleep(poll);
  }
}
