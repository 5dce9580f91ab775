// Talking to a (simulated) gateway over HTTP from tests, and waiting on its state without fixed sleeps.
import { setTimeout as sleep } from 'node:timers/promises';

export type GatewayState = 'STARTING' | 'RUNNING' | 'COMMISSIONING';

/** Docker's port proxy can hold a connection open while the container starts: never wait on one for long. */
const REQUEST_TIMEOUT_MS = 5_000;
const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);

export async function statusPing(baseUrl: string): Promise<GatewayState | undefined> {
  try {
    const response = await fetch(`${baseUrl}/StatusPing`, { signal: AbortSignal.timeout(1_000) });
    return ((await response.json()) as { state: GatewayState }).state;
  } catch {
    return undefined; // not listening yet
  }
}

/** The unauthenticated `key=value;` summary. */
export async function gwinfo(baseUrl: string): Promise<string> {
  return (await fetch(`${baseUrl}/system/gwinfo`, { signal: timeout() })).text();
}

/** Polls until `check` returns a value other than undefined, or fails naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export function waitForState(baseUrl: string, state: GatewayState, timeoutMs?: number): Promise<GatewayState> {
  return waitFor(`${baseUrl} to report ${state}`, async () => ((await statusPing(baseUrl)) === state ? state : undefined), timeoutMs);
}

/** The 8.3 REST API of one gateway, authenticated with its token. */
export function gatewayApi(baseUrl: string, token: string | undefined) {
  const headers = (): Record<string, string> => (token === undefined ? {} : { 'X-Ignition-API-Token': token });
  return {
    get: (path: string) => fetch(`${baseUrl}/data/api/v1/${path}`, { headers: headers(), signal: timeout() }),
    post: (path: string, body: Buffer) =>
      fetch(`${baseUrl}/data/api/v1/${path}`, {
        method: 'POST',
        signal: timeout(),
        headers: { ...headers(), 'Content-Type': 'application/octet-stream' },
        body: new Uint8Array(body),
      }),
    async json<T = Record<string, unknown>>(path: string): Promise<T> {
      const response = await this.get(path);
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    async bytes(path: string): Promise<Buffer> {
      const response = await this.get(path);
      if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    },
  };
}
