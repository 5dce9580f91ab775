// The HTTP plumbing: a route table, body reading with a limit, JSON/text replies and one log line per request.
import { createServer } from 'node:http';
import { info, error } from './log.mjs';
import { StoreError } from './store.mjs';

const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** An answer the client caused: its status and a message saying what to do. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {{ method: string, path: RegExp, handle: (request: object) => Promise<Reply> | Reply }[]} routes
 *   `request` carries params (regex groups), query (URLSearchParams), headers and body() -> Promise<Buffer>.
 * @typedef {{ status?: number, json?: unknown, text?: string, binary?: Buffer, headers?: Record<string, string> }} Reply
 */
export function createHttpServer(routes) {
  return createServer(async (req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://gateway');
    let reply;
    try {
      reply = await route(routes, req, url);
    } catch (cause) {
      reply = errorReply(cause);
    }
    send(res, reply);
    info('http', `${req.method} ${url.pathname}${url.search} ${reply.status ?? 200} ${Date.now() - started}ms`);
  });
}

async function route(routes, req, url) {
  const matching = routes
    .map((r) => ({ ...r, match: r.path.exec(url.pathname) }))
    .filter((r) => r.match !== null);
  if (matching.length === 0) throw new ApiError(404, `no resource at ${url.pathname}`);
  const chosen = matching.find((r) => r.method === req.method);
  if (!chosen) {
    const allowed = matching.map((r) => r.method).join(', ');
    throw new ApiError(405, `${req.method} is not supported on ${url.pathname}; use ${allowed}`);
  }
  const params = chosen.match.slice(1).map((p) => decodeURIComponent(p));
  return chosen.handle({ params, query: url.searchParams, headers: req.headers, body: () => readBody(req) });
}

function errorReply(cause) {
  if (cause instanceof ApiError) return { status: cause.status, json: { error: cause.message } };
  if (cause instanceof StoreError) return { status: 400, json: { error: cause.message } };
  error('http', `request failed: ${cause?.stack ?? cause}`);
  return { status: 500, json: { error: 'internal simulator error; see the container log' } };
}

function send(res, { status = 200, json, text, binary, headers = {} }) {
  let body = binary;
  let type = 'application/octet-stream';
  if (json !== undefined) [body, type] = [Buffer.from(JSON.stringify(json)), 'application/json'];
  else if (text !== undefined) [body, type] = [Buffer.from(text), 'text/plain; charset=utf-8'];
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': body?.length ?? 0, ...headers });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk); // beyond the limit: keep draining so the reply can be sent
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, `request body is larger than ${MAX_BODY_BYTES} bytes; send a smaller file`));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
