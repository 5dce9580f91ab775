import type { Db } from '@/db/client';

/** Who is calling: a signed-in person or an API token (which always belongs to one tenant). */
export type Actor =
  | { type: 'user'; userId: string; email: string; name: string; isPlatformAdmin: boolean }
  | { type: 'token'; tokenId: string; tenantId: string; name: string; createdBy: string };

export interface RequestMeta { requestId: string; sourceIp: string | null; userAgent: string | null }

export interface Context { db: Db; actor: Actor | null; meta: RequestMeta }

/** Who asked for a change and from where: every audited service call carries it. */
export interface Who { actor: Actor; meta: RequestMeta }

export function actorLabel(actor: Actor): string {
  return actor.type === 'user' ? actor.email : `token:${actor.name}`;
}
/** Anyone a change can be recorded against: a caller, or Switchyard itself / an unauthenticated attempt by a label. */
export type RecordedActor = Actor | { type: 'system'; label: string } | { type: 'anonymous'; label: string };

export function recordedActorLabel(actor: RecordedActor): string {
  return actor.type === 'user' || actor.type === 'token' ? actorLabel(actor) : actor.label;
}

export function actorId(actor: Actor): string {
  return actor.type === 'user' ? actor.userId : actor.tokenId;
}
