import { headers } from 'next/headers';

/** The gateway's web address: the host the console is reached at (gateways publish on the same machine) and its port. */
export async function gatewayAddress(port: number): Promise<string> {
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost';
  // Drop the console's own port; keep IPv6 brackets.
  const hostname = host.replace(/:\d+$/, '');
  return `http://${hostname}:${port}`;
}
