import { request } from 'node:http';
import { inject } from 'vitest';

export const baseUrl = () => inject('baseUrl');

/**
 * Signs in through next-auth's own endpoints, like a browser: fetch the CSRF token, post the credentials,
 * keep the session cookie. Returns the Cookie header value to send, or throws with the reason.
 */
export async function signInCookie(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = pair!.split('=');
      jar.set(k!, v ?? '');
    }
  };
  keep(csrfRes);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${baseUrl()}/api/auth/callback/password`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes('session-token'))) {
    throw new Error(`sign-in failed for ${email}: ${res.status} ${res.headers.get('location') ?? ''}`);
  }
  return cookie();
}

/**
 * One request on a connection of its own (no keep-alive), so the server hands each to its next worker: the status
 * and body text, status 0 when refused.
 */
export function onFreshConnection(method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.once('error', () => resolve({ status: 0, text: '' }));
    req.end();
  });
}

export async function statusOnFreshConnection(method: string, url: string): Promise<number> {
  return (await onFreshConnection(method, url)).status;
}
