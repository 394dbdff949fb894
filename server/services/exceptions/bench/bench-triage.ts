/**
 * `npm run bench:triage` — the exceptions queue at volume, and a bulk replay after a mapping fix.
 *
 *   npm run bench:triage -- [--exceptions 100000] [--replay 1000] [--scale 16000] [--samples 30]
 *
 * In a throw-away database (a new database on DATABASE_URL's server, or an embedded PostgreSQL):
 *   1. Replay: the sandbox firm is loaded and the default tax code mappings removed, so the
 *      billing-eligibility runs (UK, US, DE) hold time bills as TAX_CODE_MISSING. They are put
 *      back, then a bulk replay (the same service and per-item access check as the queue's "Replay
 *      all matching") takes `--replay` of them: exceptions replayed per second, and invoice items
 *      in the Stripe emulator sharing one Syncwright id (duplicates; must be 0).
 *   2. Queue: synthetic exceptions bring the table to `--exceptions` rows, spread over codes,
 *      teams, entities, statuses, assignees, ages and runs; each filter combination the tests use
 *      is asked `--samples` times through the list and facet services (server side, no HTTP):
 *      p50 / p95 per combination, and the worst p95.
 * Prints a summary and, as its last line, one JSON object of the figures.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runMigrations } from 'graphile-worker';
import Stripe from 'stripe';
import { z } from 'zod';
import { env, setRuntimeSetting } from '@/env';
import { seed } from '@/prisma/seed';
import { startSandbox } from '@/sandbox/start-sandbox';
import { throwAwayDatabase } from '@/sandbox/throw-away-database';
import type { Role } from '@/server/auth/permissions';
import { db } from '@/server/db/client';
import { migrate } from '@/server/db/migrate';
import { connectSandbox } from '@/server/services/connections/connect-sandbox';
import { generateCredentialKey } from '@/server/services/connections/credentials-cipher';
import { runRoutine } from '@/server/sync/run-routine';
import { runBulkOperation, startBulkOperation } from '../bulk-exceptions';
import { exceptionFacets, listExceptions, type ExceptionFilters, type ExceptionSort } from '../list-exceptions';

const { values } = parseArgs({
  options: {
    exceptions: { type: 'string' },
    replay: { type: 'string' },
    scale: { type: 'string' },
    samples: { type: 'string' },
  },
  strict: true,
});
const options = z
  .object({
    exceptions: z.coerce.number().int().min(1_000).max(2_000_000).default(100_000),
    replay: z.coerce.number().int().min(1).max(10_000).default(1_000),
    scale: z.coerce.number().int().min(100).max(200_000).default(16_000),
    samples: z.coerce.number().int().min(5).max(1_000).default(30),
  })
  .parse(values);

const log = (line: string) => console.log(line);
const AS_OF = '2026-11-20';

const database = await throwAwayDatabase('bench_triage');
const cleanups: (() => Promise<void>)[] = [];
try {
  setRuntimeSetting('DATABASE_URL', database.url);
  if (!env.CREDENTIALS_KEYS) setRuntimeSetting('CREDENTIALS_KEYS', generateCredentialKey('bench'));
  await migrate(database.url);
  await runMigrations({ connectionString: database.url });
  await seed({ demoPassword: randomBytes(18).toString('base64url') });
  const work = mkdtempSync(path.join(tmpdir(), 'syncwright-bench-triage-'));
  chmodSync(work, 0o755);

  // 1. Bulk replay after a mapping fix.
  log(`Loading the sandbox firm (time bills ${options.scale.toLocaleString('en-US')}) …`);
  const sandbox = await startSandbox({
    databaseUrl: database.url,
    dataDir: path.join(work, 'sandbox'),
    ports: { salesforce: 0, netsuite: 0, stripe: 0 },
    scale: options.scale,
    asOf: AS_OF,
    simulate: false,
  });
  cleanups.push(() => sandbox.stop());
  await fetch(`${sandbox.stripe.baseUrl}/__sandbox/rate-limit`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ perSecond: null }),
  });
  const connections = await connectSandbox(sandbox, { stripeLimits: { maxConcurrent: 10, perSecond: null } });
  const taxDefaults = { connectionId: connections.stripe, kind: 'tax_code', sourceValue: 'default' };
  const removed = await db().fieldMapping.findMany({ where: taxDefaults });
  await db().fieldMapping.deleteMany({ where: taxDefaults });
  for (const legalEntityId of ['UK', 'US', 'DE']) {
    log(`Billing eligibility for ${legalEntityId} without its default tax code mapping …`);
    const run = await runRoutine({
      routine: 'billing_eligibility',
      connectionId: connections.netsuite,
      legalEntityId,
      trigger: 'manual',
    });
    log(`  run ${run.status}: ${run.recordsRead} read, ${run.delivered} delivered, ${run.exceptions} exceptions`);
  }
  const held = await db().syncException.findMany({
    where: { code: 'TAX_CODE_MISSING', status: 'open' },
    select: { id: true },
    orderBy: { id: 'asc' },
    take: options.replay,
  });
  log(`Mappings fixed; replaying ${held.length} TAX_CODE_MISSING exceptions in bulk …`);
  if (held.length < options.replay) log(`  (fewer than ${options.replay} held: raise --scale for a larger firm)`);
  await db().fieldMapping.createMany({ data: removed.map(({ id: _id, ...m }) => m) });
  const finance = await db().user.findUniqueOrThrow({ where: { email: 'finance@syncwright.example' } });
  const actor = { id: finance.id, email: finance.email, role: finance.role as Role };
  const replayStarted = performance.now();
  const operation = await startBulkOperation({
    selection: { ids: held.map((h) => h.id) },
    action: { action: 'replay' },
    actor,
  });
  await runBulkOperation(operation.id);
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  const summary = await db().bulkOperation.findUniqueOrThrow({ where: { id: operation.id } });
  const replayPerSec = held.length / replaySeconds;
  log(
    `  bulk replay: ${summary.succeeded} succeeded, ${summary.failed} still failing, ${summary.skipped} skipped in ${replaySeconds.toFixed(1)} s (${replayPerSec.toFixed(1)}/s)`,
  );
  const url = new URL(sandbox.stripe.baseUrl);
  const stripe = new Stripe(sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
  const perSource = new Map<string, number>();
  for await (const item of stripe.invoiceItems.list({ limit: 100 })) {
    const id = item.metadata?.syncwright_id;
    if (id) perSource.set(id, (perSource.get(id) ?? 0) + 1);
  }
  const duplicates = [...perSource.values()].reduce((n, c) => n + (c - 1), 0);
  log(`  Stripe invoice items: ${perSource.size.toLocaleString('en-US')} sources, ${duplicates} duplicates`);

  // 2. The queue at volume.
  const existing = await db().syncException.count();
  const toAdd = Math.max(0, options.exceptions - existing);
  log(`Seeding ${toAdd.toLocaleString('en-US')} more exceptions (to ${options.exceptions.toLocaleString('en-US')}) …`);
  const users = await db().user.findMany({ select: { id: true } });
  const runIds = Array.from({ length: 100 }, () => crypto.randomUUID());
  await db().$executeRaw`
    INSERT INTO "SyncException" (id, fingerprint, kind, code, routine, "legalEntityId", "objectType", "externalIds",
      message, payload, "correlationId", amount, currency, status, team, priority, "dueAt", "assigneeId", occurrences,
      "firstSeenAt", "lastSeenAt")
    SELECT gen_random_uuid(), md5(random()::text || g), k.kind::"ExceptionKind", k.code, k.routine::"Routine",
      (ARRAY['US','UK','DE'])[1 + g % 3], 'TimeBill',
      jsonb_build_array(jsonb_build_object('system', 'netsuite', 'objectType', 'timebill', 'externalId', 'TB-' || g),
        jsonb_build_object('system', 'stripe', 'objectType', 'invoiceitem', 'externalId', 'ii_' || md5(g::text))),
      k.code || ': record ' || g || ' could not be delivered (' || (ARRAY['missing mapping','rejected by target','rate not found','customer unknown'])[1 + g % 4] || ')',
      '{}'::jsonb, gen_random_uuid(), CASE WHEN g % 5 = 0 THEN NULL ELSE round((random() * 20000)::numeric, 2) END,
      CASE WHEN g % 5 = 0 THEN NULL ELSE (ARRAY['USD','GBP','EUR'])[1 + g % 3] END,
      (ARRAY['open','open','open','assigned','in_progress','resolved','resolved','ignored'])[1 + g % 8]::"ExceptionStatus",
      k.team::"Team", (ARRAY['low','normal','normal','high','urgent'])[1 + g % 5]::"Priority",
      now() + (random() * 20 - 10) * interval '1 day',
      CASE WHEN g % 8 IN (3, 4) THEN (${users.map((u) => u.id)}::uuid[])[1 + g % ${users.length}] END,
      1 + g % 7, now() - random() * 60 * interval '1 day', now() - random() * 5 * interval '1 day'
    FROM generate_series(1, ${toAdd}) g
    CROSS JOIN LATERAL (SELECT * FROM (VALUES
      (0, 'business', 'TAX_CODE_MISSING', 'billing_eligibility', 'finance'),
      (1, 'business', 'RATE_CARD_MISSING', 'billing_eligibility', 'finance'),
      (2, 'business', 'CUSTOMER_UNRESOLVED', 'project_activation', 'operations'),
      (3, 'business', 'OWNERSHIP_CONFLICT', 'change_orders', 'operations'),
      (4, 'business', 'CURRENCY_MISMATCH', 'billing_eligibility', 'finance'),
      (5, 'business', 'TARGET_REJECTED', 'invoice_status', 'finance'),
      (6, 'technical', 'RETRIES_EXHAUSTED', 'project_activation', 'integration')) v(i, kind, code, routine, team)
      WHERE v.i = g % 7) k`;
  await db().$executeRaw`
    INSERT INTO "ExceptionSighting" ("runId", "exceptionId")
    SELECT (${runIds}::uuid[])[1 + (hashtext(id::text) & 1023) % 100], id FROM "SyncException" ON CONFLICT DO NOTHING`;
  // As autovacuum leaves a table some time after a bulk load: the visibility map set, so the facet
  // counts' index-only scan does not visit the heap for rows just inserted.
  await db().$executeRaw`VACUUM ANALYZE "SyncException"`;
  await db().$executeRaw`ANALYZE "ExceptionSighting"`;

  const me = users[0]!.id;
  const sampleRun = runIds[7]!;
  const COMBOS: { name: string; filters: ExceptionFilters; sort?: ExceptionSort }[] = [
    { name: 'everything', filters: {} },
    { name: 'open', filters: { status: ['open'] } },
    { name: 'my open', filters: { assignee: 'me', status: ['open', 'assigned', 'in_progress'] } },
    { name: 'finance unassigned', filters: { team: ['finance'], assignee: 'unassigned', status: ['open'] } },
    {
      name: 'unassigned TAX_CODE_MISSING in UK',
      filters: { code: ['TAX_CODE_MISSING'], legalEntityId: ['UK'], assignee: 'unassigned', team: ['finance'] },
    },
    { name: 'overdue by due date', filters: { overdue: true }, sort: 'due' },
    { name: 'urgent or high by priority', filters: { priority: ['urgent', 'high'] }, sort: 'priority' },
    { name: 'technical, project activation', filters: { kind: 'technical', routine: ['project_activation'] } },
    { name: 'older than 30 days, oldest first', filters: { age: '30d+' }, sort: 'age' },
    { name: 'open by amount', filters: { status: ['open'] }, sort: 'amount' },
    { name: 'text: an external id', filters: { q: 'TB-73219' } },
    { name: 'text: a message word', filters: { q: 'rate not found', status: ['open'] } },
    { name: 'one run', filters: { runId: sampleRun } },
    { name: 'one run, open, UK', filters: { runId: sampleRun, status: ['open'], legalEntityId: ['UK'] } },
  ];
  const percentile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const results: { name: string; p50Ms: number; p95Ms: number; rows: number }[] = [];
  for (const combo of COMBOS) {
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < options.samples + 2; i += 1) {
      const started = performance.now();
      // What the page asks for on each filter change: the first page and the facet counts.
      const [page, facets] = await Promise.all([
        listExceptions({ filters: combo.filters, viewerId: me, sort: combo.sort, limit: 50 }),
        exceptionFacets({ filters: combo.filters, viewerId: me }),
      ]);
      if (i >= 2) times.push(performance.now() - started); // two warm-up rounds
      rows = facets.total;
      void page;
    }
    times.sort((a, b) => a - b);
    const r = {
      name: combo.name,
      p50Ms: +percentile(times, 0.5).toFixed(1),
      p95Ms: +percentile(times, 0.95).toFixed(1),
      rows,
    };
    results.push(r);
    log(`  ${r.name.padEnd(38)} ${String(r.rows).padStart(7)} rows   p50 ${r.p50Ms} ms   p95 ${r.p95Ms} ms`);
  }
  const total = await db().syncException.count();
  const worst = results.reduce((a, b) => (b.p95Ms > a.p95Ms ? b : a));
  console.log(
    JSON.stringify({
      exceptions: total,
      samples: options.samples,
      p95Ms: worst.p95Ms,
      worstFilter: worst.name,
      replayed: held.length,
      replaySucceeded: summary.succeeded,
      replayFailed: summary.failed,
      replaySkipped: summary.skipped,
      replaySeconds: +replaySeconds.toFixed(2),
      replayPerSec: +replayPerSec.toFixed(1),
      duplicates,
    }),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await db().$disconnect();
  await database.drop();
}
