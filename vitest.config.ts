import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@': fileURLToPath(new URL('./', import.meta.url)) };
const exclude = ['node_modules/**', '.data/**', '.test-data/**', '.next/**'];

// Two projects: `unit` needs nothing running; `integration` gets one real Postgres and the real product server.
// Run one with `npx vitest run --project unit`.
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
          name: 'integration', include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts'], exclude,
          globalSetup: ['tests/setup/global-db.ts', 'tests/setup/global-server.ts'], setupFiles: ['tests/setup/worker-services.ts'],
          testTimeout: 60_000, hookTimeout: 180_000,
        },
      },
    ],
  },
});
