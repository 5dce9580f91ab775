import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// Secrets at rest (gateway admin passwords, API tokens): AES-256-GCM, a fresh 12-byte nonce per value.
// Sealed form: "v1.<nonce>.<tag>.<ciphertext>", base64url parts. A wrong key or a changed byte fails to open.

const VERSION = 'v1';

export class SealError extends Error {}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new SealError(`the secret key must be 32 bytes, got ${key.length}`);
}

export function seal(plaintext: string, key: Buffer): string {
  checkKey(key);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, nonce, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function unseal(sealed: string, key: Buffer): string {
  checkKey(key);
  const [version, nonce, tag, body] = sealed.split('.');
  if (version !== VERSION || !nonce || !tag || body === undefined) throw new SealError('not a sealed value (expected v1.<nonce>.<tag>.<data>)');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('the sealed value does not open with this key: the secret key changed, or the value was altered');
  }
}
