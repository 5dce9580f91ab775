import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };
const exclude = ['node_modules/**', '.data/**', '.test-data/**', '.next/**'];
const disruptiveAsked = process.argv.some((arg, i) => arg === '--project=disruptive' || (arg === 'disruptive' && process.argv[i - 1] === '--project'));
const integrationSetup = { globalSetup: ['tests/setup/global-db.ts', 'tests/setup/global-server.ts'], setupFiles: ['tests/setup/worker-services.ts'] };

// Two projects: `unit` needs nothing running; `integration` gets one real Postgres and the real product server.
// Run one with `npx vitest run --project unit`. A third, `disruptive`, restarts the machine's Docker engine, which
// breaks any other Docker test running at the time: it exists only when asked for by name
// (`npx vitest run --project disruptive`, after the others; scripts/test.sh does), so a plain `vitest run` never runs it.
export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['lib/**/*.test.ts', 'cli/**/*.test.ts'], exclude } },
      {
        extends: true,
        test: {
          name: 'integration', include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts'], exclude: [...exclude, 'tests/disruptive/**'],
          ...integrationSetup, testTimeout: 60_000, hookTimeout: 180_000,
        },
      },
      ...(disruptiveAsked ? [{
        extends: true as const,
        test: { name: 'disruptive', include: ['tests/disruptive/**/*.test.ts'], exclude, ...integrationSetup, testTimeout: 300_000, hookTimeout: 180_000 },
      }] : []),
    ],
  },
});
