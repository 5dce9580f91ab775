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

/** Status of one request on a connection of its own (no keep-alive), so the server hands each to its next worker; 0 when refused. */
export function statusOnFreshConnection(method: string, url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false }, (res) => { res.resume(); res.once('end', () => resolve(res.statusCode ?? 0)); });
    req.once('error', () => resolve(0));
    req.end();
  });
}
