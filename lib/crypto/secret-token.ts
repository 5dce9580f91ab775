import { createHash, randomBytes } from 'node:crypto';

// Bearer secrets (API tokens, invitation links): random, shown once, stored only as a SHA-256 hash.
// SHA-256 without salt is right here: the secret has 256 bits of entropy, so it cannot be guessed from its hash.

export function newSecret(prefix: string): { secret: string; hash: string; display: string } {
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret), display: `${secret.slice(0, prefix.length + 7)}…` };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
