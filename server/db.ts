import { connect, type DbHandle } from '@/db/client';

// One pool per process, kept on globalThis so dev reloads do not open a new pool each time.
const holder = globalThis as unknown as { switchyardDb?: DbHandle };

export function appDb(): DbHandle {
  if (!holder.switchyardDb) {
    const url = process.env.DATABASE_APP_URL;
    if (!url) throw new Error('DATABASE_APP_URL is not set: start Switchyard with `npm start`, which prepares the database');
    holder.switchyardDb = connect(url, { max: Number(process.env.DATABASE_POOL_MAX ?? 20) });
  }
  return holder.switchyardDb;
}
