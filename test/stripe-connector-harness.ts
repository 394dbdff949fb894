import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '@/sandbox/stripe/stripe-emulator';
import { createStripeConnector, type StripeConnector } from '@/server/connectors/stripe/stripe-connector';
import { createScratchDatabase } from './scratch-database';

/**
 * For the connector's tests: a database of their own, the Stripe emulator on a free port, a
 * connector pointed at it, and the `stripe` SDK beside it. `setUpStripeTestHarness()` starts them
 * before the file's tests and stops them after; its fields are filled in once they have started.
 */
export interface StripeTestHarness {
  emulator: StripeEmulator;
  connector: StripeConnector;
  /**
   * The SDK used directly, without retries: plays the firm's customers and Stripe's own processes
   * (payments, voids), and looks at what the connector left in Stripe.
   */
  stripe: Stripe;
}

export function setUpStripeTestHarness(): StripeTestHarness {
  const harness = {} as StripeTestHarness;
  let database: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
  let pool: pg.Pool | undefined;
  let emulator: StripeEmulator | undefined;

  beforeAll(async () => {
    database = await createScratchDatabase({ migrated: false });
    pool = new pg.Pool({ connectionString: database.url });
    emulator = await startStripeEmulator({ pool, port: 0, rateLimitPerSecond: null });
    const { port } = new URL(emulator.baseUrl);
    harness.emulator = emulator;
    harness.connector = createStripeConnector({ baseUrl: emulator.baseUrl, secretKey: emulator.credentials.secretKey });
    harness.stripe = new Stripe(emulator.credentials.secretKey, {
      host: '127.0.0.1',
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  });

  afterAll(async () => {
    await emulator?.close();
    await pool?.end();
    await database?.drop();
  });

  return harness;
}
