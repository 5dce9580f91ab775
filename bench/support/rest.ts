/** A REST client for benches: sign in like a browser (next-auth CSRF + credentials), then call /api/v1 with a cookie or a token. */

export type Auth = { cookie: string } | { bearer: string };
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/password`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes('session-token'))) throw new Error(`sign-in failed for ${email}: HTTP ${res.status}; check the bootstrap operator's credentials`);
  return header();
}

/** Calls `/api/v1{path}`; throws on any answer but 2xx, with the method, path, status and the API's error message. */
export async function rest(baseUrl: string, auth: Auth, method: string, path: string, body?: unknown): Promise<Json> {
  const headers: Record<string, string> = 'cookie' in auth ? { cookie: auth.cookie } : { authorization: `Bearer ${auth.bearer}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${json.error?.message ?? JSON.stringify(json)}`);
  return json;
}
