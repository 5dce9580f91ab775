/**
 * Deterministic, DNS-safe names for containers, hostnames, networks and volumes, and the owner labels.
 * A name is `sy-` plus its parts joined by `-`. When joining could be ambiguous (a part that is not a plain
 * [a-z0-9]+ token, e.g. has a dash, upper case or unicode) or the name would pass 63 characters, an
 * 8-hex hash of the exact parts is appended, so distinct inputs never share a name.
 */
import { createHash } from 'node:crypto';

export const MAX_DNS_LABEL = 63;
const HASH_LENGTH = 8;

/** Where a stack lives: a local project, or a tenant's site environment in the control plane. */
export type NamingScope =
  | { kind: 'project'; project: string }
  | { kind: 'environment'; tenant: string; site: string; environment: string };

export function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Lowercase ASCII letters, digits and single dashes; accents folded (é -> e), the rest dropped. */
export function slugify(text: string): string {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** `sy-<part>-<part>...`, at most 63 characters of [a-z0-9-], starting with a letter, not ending in a dash. */
export function dnsName(parts: readonly string[]): string {
  const plain = parts.every((part) => /^[a-z0-9]+$/.test(part));
  const joined = ['sy', ...parts.map((part) => slugify(part) || 'x')].join('-');
  if (plain && joined.length <= MAX_DNS_LABEL) return joined;
  const room = MAX_DNS_LABEL - HASH_LENGTH - 1;
  const head = joined.slice(0, room).replace(/-+$/, '');
  return `${head}-${shortHash(JSON.stringify(parts))}`;
}

/** A stack member's key (Compose service name, network alias): its slug, hashed when that loses anything. */
export function memberKey(name: string): string {
  const slug = slugify(name) || 'x';
  if (slug === name && slug.length <= 40) return slug;
  return `${slug.slice(0, 40).replace(/-+$/, '')}-${shortHash(name)}`;
}

function scopeParts(scope: NamingScope): string[] {
  return scope.kind === 'project' ? [scope.project] : [scope.tenant, scope.site, scope.environment];
}

/** Compose project name: the stack as a whole. */
export function stackName(scope: NamingScope): string {
  return dnsName(scopeParts(scope));
}

/** One network per local project, or per tenant site in the control plane. */
export function networkName(scope: NamingScope): string {
  return dnsName(scope.kind === 'project' ? [scope.project] : [scope.tenant, scope.site]);
}

/**
 * Container name and hostname. A control-plane environment holding a single gateway is `sy-<tenant>-<site>-<env>`;
 * every other member adds its own name.
 */
export function containerName(scope: NamingScope, member: string, memberCount: number): string {
  if (scope.kind === 'environment' && memberCount === 1) return dnsName(scopeParts(scope));
  return dnsName([...scopeParts(scope), member]);
}

/** A named volume of a container (its data volume is `<container>-data`). */
export function volumeName(container: string, volume: string): string {
  return `${container}-${volume}`;
}

export const LABEL_PREFIX = 'io.switchyard.';

/**
 * Who owns a Docker object: managed-by, and the project or tenant/site/environment. A site network is shared
 * by the site's environments, so `level: 'site'` leaves the environment out.
 */
export function ownerLabels(scope: NamingScope, level: 'environment' | 'site' = 'environment'): Record<string, string> {
  const labels: Record<string, string> = { [`${LABEL_PREFIX}managed-by`]: 'switchyard' };
  if (scope.kind === 'project') labels[`${LABEL_PREFIX}project`] = scope.project;
  else {
    labels[`${LABEL_PREFIX}tenant`] = scope.tenant;
    labels[`${LABEL_PREFIX}site`] = scope.site;
    if (level === 'environment') labels[`${LABEL_PREFIX}environment`] = scope.environment;
  }
  return labels;
}
