/**
 * For the emulator's tests: a database of their own, an emulator on a free port, and the real
 * `stripe` SDK pointed at it.
 */
import pg from 'pg';
import Stripe from 'stripe';
import { createScratchDatabase } from '@/test/scratch-database';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './stripe-emulator';

export interface Harness {
  pool: pg.Pool;
  emulator: StripeEmulator;
  /** A client with no automatic retries, so every failure is visible. */
  stripe: Stripe;
  client(options?: { maxNetworkRetries?: number; timeout?: number; apiKey?: string }): Stripe;
  /** Stops the emulator and starts a new one on the same database. */
  restart(options?: Partial<Omit<StripeEmulatorOptions, 'pool'>>): Promise<StripeEmulator>;
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<Omit<StripeEmulatorOptions, 'pool'>> = {}): Promise<Harness> {
  const database = await createScratchDatabase({ migrated: false });
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  let emulator = await startStripeEmulator({ pool, rateLimitPerSecond: null, ...options });

  const client = (opts: { maxNetworkRetries?: number; timeout?: number; apiKey?: string } = {}) => {
    const url = new URL(emulator.baseUrl);
    const stripe = new Stripe(opts.apiKey ?? emulator.credentials.secretKey, {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      maxNetworkRetries: opts.maxNetworkRetries ?? 0,
      timeout: opts.timeout ?? 10_000,
      telemetry: false,
    });
    return stripe;
  };

  const harness: Harness = {
    pool,
    emulator,
    stripe: client(),
    client,
    async restart(restartOptions = {}) {
      await emulator.close();
      emulator = await startStripeEmulator({ pool, rateLimitPerSecond: null, ...options, ...restartOptions });
      harness.emulator = emulator;
      harness.stripe = client();
      return emulator;
    },
    async stop() {
      await emulator.close();
      await pool.end();
      await database.drop();
    },
  };
  return harness;
}
