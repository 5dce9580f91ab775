import { describe, expect, inject, it } from 'vitest';
import { baseUrl, signInCookie } from '../helpers/http';

describe('the product over HTTP', () => {
  it('answers health and sends pages to sign-in without a session', async () => {
    expect((await fetch(`${baseUrl()}/api/health`)).status).toBe(200);
    const page = await fetch(`${baseUrl()}/`, { redirect: 'manual' });
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toContain('/signin');
  });

  it('signs in the bootstrap operator and serves tRPC with the session', async () => {
    const cookie = await signInCookie(inject('operatorEmail'), inject('operatorPassword'));
    const res = await fetch(`${baseUrl()}/api/trpc/me.whoami?input=%7B%7D`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: { label: string; isPlatformAdmin: boolean } } };
    expect(body.result.data).toMatchObject({ label: inject('operatorEmail'), isPlatformAdmin: true });
  });

  it('refuses a wrong password and a tampered session cookie', async () => {
    await expect(signInCookie(inject('operatorEmail'), 'not the password')).rejects.toThrow(/sign-in failed/);
    const cookie = await signInCookie(inject('operatorEmail'), inject('operatorPassword'));
    const tampered = cookie.replace(/(session-token=)([^;]{10})/, (_m, k: string, v: string) => `${k}${v.split('').reverse().join('')}`);
    const res = await fetch(`${baseUrl()}/api/trpc/me.whoami?input=%7B%7D`, { headers: { cookie: tampered } });
    expect(res.status).toBe(401);
  });
});
