import { getServerSession } from 'next-auth';
import { headers } from 'next/headers';
import { cache } from 'react';
import { authOptions } from '@/server/auth/options';
import { loadUserActor } from '@/server/auth/sign-in';
import type { Context } from '@/server/context';
import { appDb } from '@/server/db';
import { requestMetaFromHeaders } from '@/server/http/request-meta';
import { createCaller } from '@/server/routers';

/** The signed-in person for server components and server actions, read once per request. */
export const currentActor = cache(async () => {
  const session = await getServerSession(authOptions);
  const uid = (session as { uid?: unknown } | null)?.uid;
  return typeof uid === 'string' ? loadUserActor(appDb().db, uid) : null;
});

/** A tRPC caller bound to this request: pages read through the same procedures as the API. */
export const serverCaller = cache(async () => {
  const ctx: Context = { db: appDb().db, actor: await currentActor(), meta: requestMetaFromHeaders(await headers()) };
  return createCaller(ctx);
});
