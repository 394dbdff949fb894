/**
 * `npm run bench:sync` — how fast the sync engine moves records, against the floor of the same
 * writes made with no engine at all.
 *
 *   npm run bench:sync -- [--records 20000] [--scale 1] [--batch-size N] [--concurrent] [--heap-mb 160] [--verbose]
 *
 * `--scale 10` loads ten times the time bills (--records × 10, with the consultants the firm
 * generator staffs them with) to show that cost grows with the change, not with history:
 * records/s should stay within a fifth of the 1× figure, peak RSS within 300 MB.
 *
 * Loads the sandbox firm with N approved time bills into a throw-away database (a new database on
 * DATABASE_URL's server, dropped afterwards, or an embedded PostgreSQL in a temporary folder),
 * with no injected faults or latency and Stripe's rate limit off, in the emulator and in the
 * connection alike. Then, each in a child process of its own while the sandbox stays in this one:
 *   1. the engine: the billing-eligibility routine for US, UK and DE, one after another (side by
 *      side with `--concurrent`), reading what NetSuite returns as billable (approved, billable,
 *      unbilled time; completed, unbilled milestones): records read per second of runRoutine
 *      wall time, the CPU time and the peak RSS of that process. Before the clock starts the
 *      process warms up as a running worker is: its copy of the ERP's reference data is filled
 *      (a first run's one-off read of the firm's whole history; each run after reads what changed);
 *   2. the floor: the writes the engine made and nothing else. In Stripe its customers, draft
 *      invoices and invoice items, with the same fields and idempotency keys, through the same SDK
 *      client settings and as many in flight, as creates against a fresh Stripe emulator schema so
 *      that each really creates; in NetSuite the billing references it wrote onto the records it
 *      billed, through the connector's batch operations as billing's settle sends them.
 * The ratio is engine records/s over floor records/s (the same records over both wall times).
 * Prints a summary and, as its last line, one JSON object of the figures, with the machine's load
 * average (1 min) at the start and the end. `--verbose` lets the engine log each batch (records,
 * outcomes, read wait, processing and commit milliseconds).
 *
 * The engine's process runs with a V8 old-space budget of `--heap-mb` (0: V8's default, which on
 * a machine with much memory lets garbage grow to a few hundred MB before a full collection; the
 * engine's live heap is under 100 MB either way).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';
import { childEnvironment, env, setRuntimeSetting } from '@/env';
import { seed } from '@/prisma/seed';
import { startSandbox } from '@/sandbox/start-sandbox';
import { throwAwayDatabase } from '@/sandbox/throw-away-database';
import { startStripeEmulator } from '@/sandbox/stripe/stripe-emulator';
import type { RequestLimits } from '@/server/connectors/request-limiter';
import { db } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { connectSandbox } from '@/server/services/connections/connect-sandbox';
import { SOURCE_KINDS } from '@/server/sync/routines/billed-in-erp';
import { generateCredentialKey } from '@/server/services/connections/credentials-cipher';
import type { FloorPlan, PlannedWrite } from './floor-plan';
import type { EngineMeasurement } from './measure-engine';
import type { FloorMeasurement } from './measure-floor';

const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    scale: { type: 'string' },
    'batch-size': { type: 'string' },
    verbose: { type: 'boolean' },
    concurrent: { type: 'boolean' },
    'heap-mb': { type: 'string' },
  },
  strict: true,
});
const options = z
  .object({
    records: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
    scale: z.coerce.number().int().min(1).max(50).default(1),
    'batch-size': z.coerce.number().int().min(1).max(10_000).optional(),
    verbose: z.boolean().default(false),
    concurrent: z.boolean().default(false),
    'heap-mb': z.coerce.number().int().min(0).max(16_384).default(160),
  })
  .parse(values);
const timeBills = options.records * options.scale;
if (timeBills > 1_000_000) throw new Error('At most 1,000,000 time bills: lower --records or --scale.');

const ENTITIES = ['US', 'UK', 'DE'];
// The Stripe connector's default concurrency, without its test-mode rate cap (switched off in
// the emulator too): the bench measures the engine, not Stripe's limits.
const STRIPE_LIMITS: RequestLimits = { maxConcurrent: 10, perSecond: null };
// The ERP records whose billing reference the engine writes back (time bills, milestones, retainer fees).
const REFERENCE_TYPES = Object.keys(SOURCE_KINDS).map((type) => `netsuite.${type}`);
// A fixed as-of day keeps the firm, and so the share of unbilled time, the same from run to run.
const AS_OF = '2026-11-20';
const here = import.meta.dirname;
const work = mkdtempSync(path.join(tmpdir(), 'syncwright-bench-sync-'));
chmodSync(work, 0o755);
const log = (line: string) => console.log(line);
const loadAtStart = loadavg()[0]!;
const cpus = availableParallelism();

const database = await throwAwayDatabase('bench_sync');
const cleanups: (() => Promise<void>)[] = [];
try {
  setRuntimeSetting('DATABASE_URL', database.url);
  if (!env.CREDENTIALS_KEYS) setRuntimeSetting('CREDENTIALS_KEYS', generateCredentialKey('bench'));
  await migrate(database.url);
  await runMigrations({ connectionString: database.url });
  await seed({ demoPassword: randomBytes(18).toString('base64url') });

  log(`Loading the sandbox firm: ${timeBills.toLocaleString('en-US')} approved time bills`);
  const sandbox = await startSandbox({
    databaseUrl: database.url,
    dataDir: path.join(work, 'sandbox'),
    ports: { salesforce: 0, netsuite: 0, stripe: 0 },
    scale: timeBills,
    asOf: AS_OF,
    simulate: false,
  });
  cleanups.push(() => sandbox.stop());
  await switchOffStripeRateLimit(sandbox.stripe.baseUrl);
  const connections = await connectSandbox(sandbox, { stripeLimits: STRIPE_LIMITS });

  log('Engine: billing eligibility for US, UK and DE …');
  const engineOut = path.join(work, 'engine.json');
  await runChild(
    'measure-engine.ts',
    [
      '--connection',
      connections.netsuite,
      '--entities',
      ENTITIES.join(','),
      '--out',
      engineOut,
      ...(options['batch-size'] ? ['--batch-size', String(options['batch-size'])] : []),
      ...(options.concurrent ? ['--concurrent'] : []),
    ],
    options['heap-mb'] ? [`--max-old-space-size=${options['heap-mb']}`] : [],
  );
  const engine = JSON.parse(readFileSync(engineOut, 'utf8')) as EngineMeasurement;
  const failed = engine.summaries.filter((s) => s.status !== 'succeeded');
  if (failed.length) throw new Error(`The engine's run failed: ${failed.map((s) => s.error).join('; ')}`);
  const total = (pick: (s: EngineMeasurement['summaries'][number]) => number) =>
    engine.summaries.reduce((n, s) => n + pick(s), 0);
  const recordsRead = total((s) => s.recordsRead);
  const read = await db().ledgerEntry.groupBy({ by: ['sourceType'], _count: true });
  const timeBillsRead = read.find((r) => r.sourceType === 'timebill')?._count ?? 0;

  log('Floor: the same writes straight through the clients …');
  const plan = await floorPlan();
  const floorOut = path.join(work, 'floor.json');
  const planFile = path.join(work, 'floor-plan.json');
  const pool = new pg.Pool({ connectionString: database.url, max: 12 });
  // Idle connections are cut when the throw-away database stops; that is expected then.
  pool.on('error', () => undefined);
  cleanups.push(() => pool.end());
  const floorStripe = await startStripeEmulator({
    pool,
    port: 0,
    schema: 'bench_floor_stripe',
    rateLimitPerSecond: null,
  });
  cleanups.push(() => floorStripe.close());
  writeFileSync(
    planFile,
    JSON.stringify({
      ...plan,
      baseUrl: floorStripe.baseUrl,
      secretKey: floorStripe.credentials.secretKey,
      netsuite: sandbox.netsuite,
    } satisfies FloorPlan),
  );
  await runChild('measure-floor.ts', ['--plan', planFile, '--out', floorOut]);
  const floor = JSON.parse(readFileSync(floorOut, 'utf8')) as FloorMeasurement;
  const writes = floor.writes.customers + floor.writes.invoices + floor.writes.invoiceItems;
  const references = floor.writes.references;

  const engineRate = recordsRead / engine.seconds;
  const floorRate = recordsRead / floor.seconds;
  const ratio = engineRate / floorRate;
  const peakRssMb = Math.round(engine.peakRssBytes / 2 ** 20);
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  log('');
  log(`Time bills in ERP   ${n(timeBills)} (the engine asks only for approved, billable, unbilled ones)`);
  log(
    `Records read        ${n(recordsRead)} (${n(timeBillsRead)} time bills, ${n(recordsRead - timeBillsRead)} milestones)`,
  );
  log(`  delivered         ${n(total((s) => s.delivered))}`);
  log(`  no-op             ${n(total((s) => s.noop))}`);
  log(`  exceptions        ${n(total((s) => s.exceptions))}`);
  log(
    `Stripe writes       ${n(writes)} (${floor.writes.customers} customers, ${floor.writes.invoices} draft invoices, ${n(floor.writes.invoiceItems)} invoice items)`,
  );
  log(`NetSuite writes     ${n(references)} billing references (${floor.writes.referenceBatches} batch requests)`);
  const loadAtEnd = loadavg()[0]!;
  log(
    `Engine              ${engine.seconds.toFixed(2)} s (CPU ${engine.cpuSeconds.toFixed(1)} s), ${n(engineRate)} records/s, peak RSS ${peakRssMb} MB` +
      ` (old space ${options['heap-mb'] ? `≤ ${options['heap-mb']} MB` : "V8's default"})`,
  );
  log(`  warm-up           ${engine.warmUpSeconds.toFixed(2)} s before the clock (reference copy filled)`);
  log(`Floor (writes only) ${floor.seconds.toFixed(2)} s, ${n(floorRate)} records/s`);
  log(`Engine / floor      ${ratio.toFixed(2)}   (goal: ≥ 0.72, peak RSS ≤ 300 MB)`);
  log(
    `Load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadAtEnd.toFixed(1)} at the end, on ${cpus} cores`,
  );
  console.log(
    JSON.stringify({
      records: timeBills,
      scale: options.scale,
      recordsRead,
      delivered: total((s) => s.delivered),
      stripeWrites: writes,
      netsuiteReferences: references,
      engineSeconds: round(engine.seconds, 2),
      engineCpuSeconds: round(engine.cpuSeconds, 2),
      floorSeconds: round(floor.seconds, 2),
      engineRecordsPerSec: Math.round(engineRate),
      floorRecordsPerSec: Math.round(floorRate),
      ratio: round(ratio, 2),
      peakRssMb,
      heapMb: options['heap-mb'] || null,
      loadAverage: [round(loadAtStart, 2), round(loadAtEnd, 2)],
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await db().$disconnect();
  await database.drop();
  rmSync(work, { recursive: true, force: true });
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function switchOffStripeRateLimit(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/__sandbox/rate-limit`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ perSecond: null }),
  });
  if (!response.ok) throw new Error(`The Stripe emulator refused to switch its rate limit off: ${response.status}`);
}

/**
 * The engine's writes, read back from the audit log (which records each write's fields). A
 * customer the firm's billing already held is updated by the engine rather than created; in the
 * floor's empty schema the same write is a create. A billing reference is written again onto the
 * same ERP record, the same value: NetSuite carries out the update all the same.
 */
async function floorPlan(): Promise<Omit<FloorPlan, 'baseUrl' | 'secretKey' | 'netsuite'>> {
  const after = z.object({
    canonicalId: z.string(),
    idempotencyKey: z.string(),
    fields: z.record(z.string(), z.unknown()),
  });
  const rows = await db().auditEvent.findMany({
    where: {
      action: { in: ['sync.created', 'sync.updated'] },
      targetType: { in: ['stripe.customer', 'stripe.invoice', 'stripe.invoiceitem', ...REFERENCE_TYPES] },
    },
    orderBy: { id: 'asc' },
    select: { targetType: true, targetId: true, after: true },
  });
  const of = (type: string): PlannedWrite[] =>
    rows
      .filter((r) => r.targetType === type)
      .map((r) => {
        const a = after.parse(r.after);
        // The connector's key for every Stripe object the routine writes is its canonical id.
        return { engineId: r.targetId!, key: a.canonicalId, idempotencyKey: a.idempotencyKey, fields: a.fields };
      });
  return {
    limits: STRIPE_LIMITS,
    customers: of('stripe.customer'),
    invoices: of('stripe.invoice'),
    invoiceItems: of('stripe.invoiceitem'),
    references: rows
      .filter((r) => REFERENCE_TYPES.includes(r.targetType!))
      .map((r) => ({
        objectType: r.targetType!.slice('netsuite.'.length),
        targetId: r.targetId!,
        fields: after.parse(r.after).fields,
      })),
  };
}

/** Runs one of the measuring scripts beside this one with the same TypeScript loader as this process. */
function runChild(script: string, args: string[], nodeFlags: string[] = []): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, ...process.execArgv, path.join(here, script), ...args], {
      env: childEnvironment({
        DATABASE_URL: env.DATABASE_URL!,
        CREDENTIALS_KEYS: env.CREDENTIALS_KEYS!,
        LOG_LEVEL: options.verbose ? 'debug' : 'warn',
      }),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${script} stopped with ${signal ?? `exit code ${code}`}`)),
    );
  });
}
