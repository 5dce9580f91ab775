import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import type { Actor, Context, RequestMeta } from '@/server/context';
import { loadUserActor } from '@/server/auth/sign-in';
import { appDb } from '@/server/db';
import { authenticateToken } from '@/server/services/tokens';
import { requestMetaFromHeaders } from './request-meta';
import { noteActorType } from './request-scope';

/** A bearer token wins over a session cookie; a bad bearer token is no identity at all (never falls back). */
export async function actorFromRequest(req: NextRequest): Promise<Actor | null> {
  const db = appDb().db;
  const auth = req.headers.get('authorization');
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    return match ? authenticateToken(db, match[1]!) : null;
  }
  const session = await getToken({ req, secret: process.env.NEXTAUTH_SECRET });
  return typeof session?.uid === 'string' ? loadUserActor(db, session.uid) : null;
}

/** `meta` lets a route handler that already answered with a request id keep that same id in the context. */
export async function createRequestContext(req: NextRequest, meta: RequestMeta = requestMetaFromHeaders(req.headers)): Promise<Context> {
  const actor = await actorFromRequest(req);
  noteActorType(actor?.type ?? 'anonymous');
  return { db: appDb().db, actor, meta };
}
