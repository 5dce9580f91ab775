import { headers } from 'next/headers';

/** The address the person is using the console at, for links they will pass on (invitations, curl examples). */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  const proto = h.get('x-forwarded-proto') ?? (process.env.NEXTAUTH_URL?.startsWith('https:') ? 'https' : 'http');
  return `${proto}://${host}`;
}
