/**
 * For the emulator's tests: a database of their own, an emulator on a free port, and the real
 * `stripe` SDK pointed at it.
 */
import pg from 'pg';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import { createScratchDatabase } from './scratch-database';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '@/sandbox/stripe/stripe-emulator';

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

/**
 * Starts a harness before the file's tests and stops it after them. The answer reads the running
 * harness, so use it inside tests and hooks; a file's own beforeAll, registered later, runs after.
 */
export function setUpHarness(options: Partial<Omit<StripeEmulatorOptions, 'pool'>> = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(async () => {
    await started?.stop();
  });

  const current = (): Harness => {
    if (!started) throw new Error('the Stripe harness starts in beforeAll: read it inside tests and hooks');
    return started;
  };
  return {
    get pool() {
      return current().pool;
    },
    get emulator() {
      return current().emulator;
    },
    get stripe() {
      return current().stripe;
    },
    client: (clientOptions) => current().client(clientOptions),
    restart: (restartOptions) => current().restart(restartOptions),
    stop: () => current().stop(),
  };
}

/** The Stripe error a request failed with; fails the test when the request succeeds. */
export async function caught(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}
