import { randomUUID } from 'node:crypto';
import type { RequestMeta } from '@/server/context';

// Set by our own HTTP server from the socket, after removing any copy the client sent, so it cannot be forged.
export const CLIENT_IP_HEADER = 'x-switchyard-client-ip';
export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Keeps a caller's (or load balancer's) request id when it is safe to log, otherwise makes a new one. */
export function acceptRequestId(incoming: string | null | undefined): string {
  return incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

export function requestMetaFromHeaders(headers: Headers): RequestMeta {
  return {
    requestId: acceptRequestId(headers.get(REQUEST_ID_HEADER)),
    sourceIp: headers.get(CLIENT_IP_HEADER),
    userAgent: headers.get('user-agent'),
  };
}
