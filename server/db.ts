import { connect, type DbHandle } from '@/db/client';
import { config } from '@/server/config';
import { metrics } from '@/server/metrics';

// One pool per process, kept on globalThis so dev reloads do not open a new pool each time.
const holder = globalThis as unknown as { switchyardDb?: DbHandle };

export function appDb(): DbHandle {
  if (!holder.switchyardDb) {
    const url = process.env.DATABASE_APP_URL;
    if (!url) throw new Error('DATABASE_APP_URL is not set: start Switchyard with `npm start`, which prepares the database');
    const max = config().DATABASE_POOL_MAX;
    holder.switchyardDb = connect(url, { max });
    metrics().poolMax.set(max); // this process's; a scrape sums the processes
  }
  return holder.switchyardDb;
}
