import { defineConfig } from '@playwright/test';
import { E2E } from './e2e/fixtures/env';
import { OIDC_CLIENT, oidcIssuer } from './e2e/fixtures/oidc-provider';

// The browser tests drive the real product: a fresh data directory (embedded Postgres included) on every run,
// the production build, Debian's Chromium. Nothing is downloaded.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalSetup: './e2e/fixtures/global-setup.ts',
  reporter: process.env.CI ? 'line' : [['list']],
  outputDir: '.test-data/e2e-results',
  use: {
    baseURL: E2E.baseUrl,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `bash -c 'rm -rf ${E2E.dataDir} && exec node --import tsx scripts/start.ts'`,
    url: `${E2E.baseUrl}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(E2E.port), HOST: '127.0.0.1', SWITCHYARD_DATA_DIR: E2E.dataDir, SWITCHYARD_PG_PORT: String(E2E.pgPort), SWITCHYARD_S3_PORT: String(E2E.s3Port),
      SWITCHYARD_BOOTSTRAP_EMAIL: E2E.operator.email, SWITCHYARD_BOOTSTRAP_PASSWORD: E2E.operator.password,
      SWITCHYARD_DEMO: 'false', LOG_LEVEL: 'warn', PUBLIC_URL: E2E.baseUrl,
      // Gateways come from the locally built simulator (globalSetup), never from a registry.
      SWITCHYARD_GATEWAY_IMAGE: 'switchyard/gateway-sim:{version}',
      // Single sign-on against the provider e2e/oidc.spec.ts starts; next-auth reads its discovery document lazily.
      OIDC_ISSUER: oidcIssuer, OIDC_CLIENT_ID: OIDC_CLIENT.id, OIDC_CLIENT_SECRET: OIDC_CLIENT.secret, OIDC_NAME: OIDC_CLIENT.name,
    },
  },
});
