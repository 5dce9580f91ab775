// The key that seals environment secrets at rest: SWITCHYARD_SECRET_KEY, or a random one kept (0600) in the data dir.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { seal, unseal } from '@/lib/crypto/sealed';
import { config } from '@/server/config';

let cached: Buffer | undefined;

function secretKey(): Buffer {
  if (cached) return cached;
  const fromEnv = config().SWITCHYARD_SECRET_KEY;
  if (fromEnv) return (cached = Buffer.from(fromEnv, 'hex'));
  const dir = path.resolve(config().SWITCHYARD_DATA_DIR);
  const file = path.join(dir, 'secret-key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // 'wx': two processes starting together never overwrite each other's key.
    try { writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' }); } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return (cached = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex'));
}

/** A key for one purpose (e.g. signing download links), derived so it never equals the sealing key. */
export const purposeKey = (purpose: string) => createHmac('sha256', secretKey()).update(`switchyard:${purpose}`).digest();

export const sealSecret = (value: string) => seal(value, secretKey());
export const openSecret = (sealed: string) => unseal(sealed, secretKey());

/** A gateway admin password: 24 URL-safe characters (144 bits). */
export const generatePassword = () => randomBytes(18).toString('base64url');
