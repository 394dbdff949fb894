import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { findBrowser } from './e2e/browser';

// The console under test runs from the production build on a fresh data folder: its own embedded
// database, migrated and seeded. Set here once; worker processes inherit it through the environment.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), 'syncwright-e2e-'));
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;
// Single sign-on against a real OpenID Connect provider run beside the console (e2e/oidc-provider-server.ts).
const oidcPort = port + 1;
process.env.E2E_OIDC_CLIENT_SECRET ??= randomBytes(24).toString('base64url');
const oidc = {
  OIDC_ISSUER: `http://localhost:${oidcPort}`,
  OIDC_CLIENT_ID: 'syncwright-console',
  OIDC_CLIENT_SECRET: process.env.E2E_OIDC_CLIENT_SECRET,
};

const browser = await findBrowser();
// Printed by the main process only: workers load this file again.
if (!process.env.TEST_WORKER_INDEX) console.log(`Browser tests use ${browser.executablePath} (${browser.source}).`);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: browser.executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command: 'npx tsx e2e/oidc-provider-server.ts',
      url: `${oidc.OIDC_ISSUER}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { ...oidc, OIDC_PROVIDER_PORT: String(oidcPort), CONSOLE_URL: baseURL },
    },
    {
      command: `npx tsx scripts/start.ts --port ${port}`,
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: 'pipe',
      env: {
        SYNCWRIGHT_DATA_DIR: process.env.E2E_DATA_DIR,
        NEXT_TELEMETRY_DISABLED: '1',
        NEXTAUTH_URL: baseURL,
        HOST: 'localhost',
        // The sandbox runs as in `npm start`, on free ports, without the activity simulator.
        SANDBOX_SALESFORCE_PORT: '0',
        SANDBOX_NETSUITE_PORT: '0',
        SANDBOX_STRIPE_PORT: '0',
        SANDBOX_SIMULATE: 'off',
        // The demo users sign in, whatever database the run is pointed at.
        DEMO: 'on',
        ...oidc,
      },
    },
  ],
});
