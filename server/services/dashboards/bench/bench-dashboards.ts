/**
 * `npm run bench:dashboards` — each dashboard's server query at a year of a busy firm's records,
 * read from the rollups, against the same figures aggregated straight from the raw tables.
 *
 *   npm run bench:dashboards -- [--work 1000000] [--exceptions 100000] [--ledger 1000000]
 *                                [--samples 30] [--data <folder>] [--fresh]
 *
 * The firm lives in an embedded PostgreSQL kept in `--data` (default <data folder>/bench-dashboards)
 * and is reused by the next run of the same size (`--fresh` seeds it again); with DATABASE_URL it
 * is a throw-away database on that server instead. Seeding is set-based and takes a few minutes:
 * the legal entities and exchange rates of the seed, `--work` approved billable work records,
 * `--exceptions` exceptions and `--ledger` ledger rows with their sync runs and watermarks, all
 * over the year before the seeding, with the rollup triggers running as they do for the pipeline.
 * Then each dashboard (scope resolution and service call, as its procedure makes them) is asked
 * `--samples` times after ten warm-ups: p50 / p95. The same figures are then computed by one
 * straightforward aggregate over the raw tables (timed once), and every figure that differs is a
 * mismatch. Prints a table and, as its last line, one JSON object of the figures.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env, setRuntimeSetting } from '@/env';
import { seed } from '@/prisma/seed';
import { startSandboxDatabase } from '@/sandbox/start-sandbox';
import { throwAwayDatabase } from '@/sandbox/throw-away-database';
import { db } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { scopeOrRefuse } from '../scoped-dashboard';
import { dashboardChecks } from './dashboard-checks';
import { seedDashboardFirm, type FirmSize } from './seed-dashboard-firm';

const { values } = parseArgs({
  options: {
    work: { type: 'string' },
    exceptions: { type: 'string' },
    ledger: { type: 'string' },
    samples: { type: 'string' },
    data: { type: 'string' },
    fresh: { type: 'boolean' },
  },
  strict: true,
});
const options = z
  .object({
    work: z.coerce.number().int().min(1_000).max(5_000_000).default(1_000_000),
    exceptions: z.coerce.number().int().min(1_000).max(1_000_000).default(100_000),
    ledger: z.coerce.number().int().min(1_000).max(5_000_000).default(1_000_000),
    samples: z.coerce.number().int().min(5).max(1_000).default(30),
    data: z.string().default(path.resolve(env.SYNCWRIGHT_DATA_DIR, 'bench-dashboards')),
    fresh: z.boolean().default(false),
  })
  .parse(values);
const size: FirmSize = { work: options.work, exceptions: options.exceptions, ledger: options.ledger };
const SLA_HOURS = 48;
const log = (line: string) => console.log(line);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// A kept firm: the embedded server's folder, and beside it what was seeded and as of when.
const firmFile = path.join(options.data, 'firm.json');
const kept = !env.DATABASE_URL;
const database = kept
  ? await (async () => {
      mkdirSync(options.data, { recursive: true });
      const server = await startSandboxDatabase({ dir: path.join(options.data, 'db'), database: 'bench_dashboards' });
      return { url: server.url, drop: () => server.stop() };
    })()
  : await throwAwayDatabase('bench_dashboards');
try {
  setRuntimeSetting('DATABASE_URL', database.url);
  await migrate(database.url);
  await seed({ demoPassword: randomBytes(18).toString('base64url') });

  const saved =
    kept && existsSync(firmFile) ? (JSON.parse(readFileSync(firmFile, 'utf8')) as FirmSize & { asOf: string }) : null;
  let asOf: Date;
  if (
    saved &&
    !options.fresh &&
    saved.work === size.work &&
    saved.exceptions === size.exceptions &&
    saved.ledger === size.ledger
  ) {
    asOf = new Date(saved.asOf);
    log(`Reusing the firm seeded as of ${saved.asOf} in ${options.data}`);
  } else {
    await db().$executeRawUnsafe(
      `TRUNCATE "LedgerEntry", "SyncRun", "Watermark", "BillableWork", "SyncException", "ExceptionSighting", "ExceptionEvent",
         "DeliveryLatency", "ExceptionDay", "ExceptionResolveTime", "InvoiceRejectionDay", "UnbilledWorkDay", "UnbilledWorkChange" CASCADE`,
    );
    asOf = new Date();
    log(
      `Seeding as of ${asOf.toISOString()}: ${size.work.toLocaleString('en-US')} billable work, ` +
        `${size.exceptions.toLocaleString('en-US')} exceptions, ${size.ledger.toLocaleString('en-US')} ledger rows (load ${load()}) …`,
    );
    await seedDashboardFirm(size, asOf, log);
    if (kept) writeFileSync(firmFile, JSON.stringify({ ...size, asOf: asOf.toISOString() }, null, 2));
  }

  // Measured as of half a minute after the last delivery, so that the hour still filling (read
  // from the ledger, not the rollup) holds the last runs' records.
  const [last] = await db().$queryRaw<{ at: Date }[]>`
    SELECT max("finishedAt") AS at FROM "LedgerEntry" WHERE routine = ANY(enum_range(NULL::"Routine")) AND outcome = 'delivered'`;
  const now = new Date(Math.max(last!.at.getTime(), asOf.getTime() - 3_600_000) + 30_000);
  const scope = await scopeOrRefuse({}, now);
  log(
    `Measuring as of ${now.toISOString()}, range ${scope.from} – ${scope.to}, ${options.samples} samples each (load ${load()})`,
  );

  const dashboards = dashboardChecks(scope, now, SLA_HOURS);
  // A console that has been serving keeps its pool's connections open, and each server process
  // behind them has the tables' catalog entries cached. The headline strip's queries run side by
  // side, on any of the pool's ten connections (server/db/client.ts): they are opened first, and
  // each dashboard is asked ten times before it is timed, so that a first read of the catalog on
  // a new connection is not what is measured.
  await Promise.all(Array.from({ length: 10 }, () => db().$executeRaw`SELECT pg_sleep(0.05)`));
  const WARM_UPS = 10;

  const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const perDashboard: Record<string, { p50Ms: number; p95Ms: number; rawMs: number; mismatches: number }> = {};
  const differences: string[] = [];
  log(
    `  ${'dashboard'.padEnd(20)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'raw ms'.padStart(8)}  mismatches`,
  );
  for (const d of dashboards) {
    const times: number[] = [];
    let result: unknown;
    for (let i = 0; i < options.samples + WARM_UPS; i += 1) {
      const started = performance.now();
      result = await d.run();
      if (i >= WARM_UPS) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const rawStarted = performance.now();
    const found = await d.raw(result as never);
    const rawMs = performance.now() - rawStarted;
    differences.push(...found);
    perDashboard[d.name] = {
      p50Ms: +percentile(times, 0.5).toFixed(1),
      p95Ms: +percentile(times, 0.95).toFixed(1),
      rawMs: +rawMs.toFixed(0),
      mismatches: found.length,
    };
    const f = perDashboard[d.name]!;
    log(
      `  ${d.name.padEnd(20)} ${f.p50Ms.toFixed(1).padStart(8)} ${f.p95Ms.toFixed(1).padStart(8)} ${String(f.rawMs).padStart(8)}  ${f.mismatches}`,
    );
  }
  for (const line of differences.slice(0, 20)) log(`  mismatch: ${line}`);
  const counts = await db().$queryRaw<{ work: bigint; exceptions: bigint; ledger: bigint }[]>`
    SELECT (SELECT count(*) FROM "BillableWork") AS work, (SELECT count(*) FROM "SyncException") AS exceptions,
      (SELECT count(*) FROM "LedgerEntry") AS ledger`;
  const worst = Object.entries(perDashboard).reduce((a, b) => (b[1].p95Ms > a[1].p95Ms ? b : a));
  console.log(
    JSON.stringify({
      billableWork: Number(counts[0]!.work),
      exceptions: Number(counts[0]!.exceptions),
      ledgerEntries: Number(counts[0]!.ledger),
      samples: options.samples,
      p95Ms: worst[1].p95Ms,
      worstDashboard: worst[0],
      mismatches: differences.length,
      loadAverage: load(),
      perDashboard,
    }),
  );
} finally {
  await db().$disconnect();
  await database.drop();
}
