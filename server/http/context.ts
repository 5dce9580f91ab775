import type { IncomingMessage } from 'node:http';
import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import type { Actor, Context, RequestMeta } from '@/server/context';
import { loadUserActor } from '@/server/auth/sign-in';
import { appDb } from '@/server/db';
import { identifyToken } from '@/server/services/tokens';
import { parseCookieHeader } from '@/lib/http/cookies';
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER, acceptRequestId, requestMetaFromHeaders } from './request-meta';
import { noteActorType } from './request-scope';

type SessionRequest = Parameters<typeof getToken>[0]['req'];

/** A bearer token wins over a session cookie; a bad bearer token is no identity at all (never falls back). */
async function actorFrom(authorization: string | null | undefined, sessionRequest: () => SessionRequest): Promise<Actor | null> {
  const db = appDb().db;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match ? identifyToken(db, match[1]!) : null;
  }
  const session = await getToken({ req: sessionRequest(), secret: process.env.NEXTAUTH_SECRET });
  return typeof session?.uid === 'string' ? loadUserActor(db, session.uid) : null;
}

export function actorFromRequest(req: NextRequest): Promise<Actor | null> {
  return actorFrom(req.headers.get('authorization'), () => req);
}

function withActor(actor: Actor | null, meta: RequestMeta): Context {
  noteActorType(actor?.type ?? 'anonymous');
  return { db: appDb().db, actor, meta };
}

/** `meta` lets a route handler that already answered with a request id keep that same id in the context. */
export async function createRequestContext(req: NextRequest, meta: RequestMeta = requestMetaFromHeaders(req.headers)): Promise<Context> {
  return withActor(await actorFromRequest(req), meta);
}

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
};

export function requestMetaOfNode(req: IncomingMessage): RequestMeta {
  return { requestId: acceptRequestId(header(req, REQUEST_ID_HEADER)), sourceIp: header(req, CLIENT_IP_HEADER), userAgent: header(req, 'user-agent') };
}

/** The same context for a request served by our own HTTP server (the REST API), from Node's request. */
export async function createNodeRequestContext(req: IncomingMessage, meta: RequestMeta): Promise<Context> {
  const actor = await actorFrom(header(req, 'authorization'), () => ({ headers: req.headers, cookies: parseCookieHeader(header(req, 'cookie')) }) as unknown as SessionRequest);
  return withActor(actor, meta);
}
