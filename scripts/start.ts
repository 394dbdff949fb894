/**
 * `npm start`: the embedded database (or DATABASE_URL), migrations, seed, the sandbox (emulated
 * Salesforce, NetSuite and Stripe with a seeded firm and, unless switched off, its activity
 * simulator), a production build when the sources changed, then the web console. Ctrl-C stops
 * everything this command started.
 *   --dev        Next.js in development mode instead of a production build
 *   --port N     overrides PORT
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childEnvironment, env } from '@/env';
import { resolveDatabase } from '@/server/db/database-url';
import { migrate } from '@/server/db/migrate';
import { seed, DEMO_USERS } from '@/prisma/seed';
import { db } from '@/server/db/client';
import { startSandbox } from '@/sandbox/start-sandbox';
import { localSecrets } from './local-secrets';

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
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
  for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => say(`cleanup failed: ${String(err)}`));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

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
  return ['app', 'components', 'lib', 'server', 'env.ts', 'next.config.js', 'package.json'].some((item) =>
    statSync(item, { throwIfNoEntry: false })?.isDirectory() ? newer(item) : (statSync(item, { throwIfNoEntry: false })?.mtimeMs ?? 0) > built,
  );
}

// Next's own entry point, run with this Node directly: no npx or shell in between, so a signal
// sent to the child reaches the server itself.
const NEXT_BIN = path.resolve('node_modules/next/dist/bin/next');

function runNext(nextArgs: string[], extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [NEXT_BIN, ...nextArgs], { stdio: 'inherit', env: childEnvironment(extraEnv) });
  children.push(child);
  return child;
}

async function main() {
  const secrets = localSecrets(dataDir);
  const database = await resolveDatabase();
  cleanups.push(() => database.stop());
  say(env.DATABASE_URL && !database.owned ? 'database: DATABASE_URL' : `database: embedded PostgreSQL in ${dataDir}`);

  const migrations = await migrate(database.url);
  say(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already in place`);
  const seeded = await seed({ demoPassword: secrets.demoPassword });
  if (seeded.created.length) say(`seeded: ${seeded.created.join(', ')}`);
  await db().$disconnect();

  if (env.SANDBOX === 'on') {
    say('sandbox: starting the emulators (the first start loads the seeded firm)…');
    const sandbox = await startSandbox({
      databaseUrl: database.url,
      dataDir,
      ports: { salesforce: env.SANDBOX_SALESFORCE_PORT, netsuite: env.SANDBOX_NETSUITE_PORT, stripe: env.SANDBOX_STRIPE_PORT },
      simulate: env.SANDBOX_SIMULATE === 'on',
      log: (line) => say(`sandbox: ${line}`),
    });
    cleanups.push(() => sandbox.stop());
  }

  const webEnv = {
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? secrets.authSecret,
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://${env.HOST}:${port}`,
  };

  if (!args.dev && buildIsStale()) {
    say('building the console (first start or sources changed)…');
    const build = runNext(['build'], { ...webEnv, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' });
    const code = await new Promise<number>((resolve) => build.once('exit', (c) => resolve(c ?? 1)));
    children.splice(children.indexOf(build), 1);
    if (code !== 0) throw new Error(`next build failed (exit ${code})`);
  }

  const web = runNext([args.dev ? 'dev' : 'start', '--port', String(port), '--hostname', env.HOST], {
    ...webEnv,
    NODE_ENV: args.dev ? 'development' : 'production',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  web.once('exit', (code) => {
    if (!stopping) {
      say(`the web server exited (${code ?? 'signal'})`);
      void stop(code ?? 1);
    }
  });

  say(`console: ${webEnv.NEXTAUTH_URL}`);
  say('demo sign-ins (password for all four, kept in ' + path.join(env.SYNCWRIGHT_DATA_DIR, 'local-secrets.json') + '):');
  for (const user of DEMO_USERS) say(`  ${user.role.padEnd(10)} ${user.email}  /  ${secrets.demoPassword}`);
}

main().catch((err: unknown) => {
  console.error(`[syncwright] start failed: ${err instanceof Error ? err.message : String(err)}`);
  void stop(1);
});
