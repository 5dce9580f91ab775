import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./', import.meta.url)) } },
  test: {
    include: ['lib/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts', 'tests/**/*.test.ts', 'cli/**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', '.test-data/**'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    globalSetup: ['tests/setup/global-db.ts'],
  },
});
