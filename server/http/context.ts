import { getToken } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import type { Actor, Context } from '@/server/context';
import { loadUserActor } from '@/server/auth/sign-in';
import { appDb } from '@/server/db';
import { authenticateToken } from '@/server/services/tokens';
import { requestMetaFromHeaders } from './request-meta';

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

export async function createRequestContext(req: NextRequest): Promise<Context> {
  return { db: appDb().db, actor: await actorFromRequest(req), meta: requestMetaFromHeaders(req.headers) };
}
