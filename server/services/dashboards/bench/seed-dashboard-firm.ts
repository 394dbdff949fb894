import { db } from '@/server/db/client';

export interface FirmSize {
  work: number;
  exceptions: number;
  ledger: number;
}

/** Ledger rows per sync run: runs every few hours per routine × entity over the year. */
const ROWS_PER_RUN = 42;
const CELLS = 12; // 4 routines × 3 entities

const ENTITY = `(ARRAY['US','UK','DE'])`;
const CURRENCY = `(ARRAY['USD','GBP','EUR'])`;
const ROUTINE = `(ARRAY['project_activation','billing_eligibility','invoice_status','change_orders'])`;

/**
 * A year of one firm's work up to `asOf`, written set-based (INSERT … SELECT generate_series) in
 * chunks so that progress shows; the rollup triggers run per statement as they would for the
 * pipeline's batches.
 */
export async function seedDashboardFirm(size: FirmSize, asOf: Date, log: (line: string) => void) {
  const runs = Math.max(CELLS, Math.ceil(size.ledger / ROWS_PER_RUN / CELLS) * CELLS);
  const step = (365 * 86_400) / (runs / CELLS); // seconds between a cell's runs
  // Run n: routine n % 4, entity (n / 4) % 3, the (n / 12)-th run of its cell; the last ones
  // start half an hour before `asOf`.
  const runStart = (n: string) =>
    `($1::timestamptz - interval '365 days' + ((${n}) / ${CELLS} + 1) * ${step} * interval '1 second' - interval '30 minutes' + ((${n}) % ${CELLS}) * interval '1 minute')`;
  const runId = (n: string) => `md5('run' || (${n}))::uuid`;
  // Each LATERAL's random() refers to g (`+ 0 * g`): uncorrelated, it would be drawn once for all rows.
  const timed = async (label: string, total: number, chunk: number, sql: (from: number, to: number) => string) => {
    const started = performance.now();
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total, from + chunk - 1);
      await db().$executeRawUnsafe(sql(from, to), asOf);
      log(`  ${label}: ${to.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
    }
    log(`  ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  await timed(
    'sync runs',
    runs,
    runs,
    (from, to) => `
    INSERT INTO "SyncRun" (id, routine, "connectionId", "legalEntityId", trigger, status, "startedAt", "finishedAt",
      "recordsRead", delivered, noop, exceptions, batches)
    SELECT ${runId('n')}, ${ROUTINE}[1 + n % 4]::"Routine", md5('connection')::uuid, ${ENTITY}[1 + (n / 4) % 3],
      'schedule', CASE WHEN n % 50 = 49 THEN 'failed' ELSE 'succeeded' END, ${runStart('n')},
      ${runStart('n')} + interval '15 minutes', ${ROWS_PER_RUN}, 29, 9, 4, 1
    FROM generate_series(${from - 1}, ${to - 1}) n`,
  );
  await timed(
    'watermarks',
    CELLS,
    CELLS,
    () => `
    INSERT INTO "Watermark" (routine, "connectionId", "legalEntityId", cursor, "sourceTime", "updatedAt")
    SELECT ${ROUTINE}[1 + n % 4]::"Routine", md5('connection')::uuid, ${ENTITY}[1 + n / 4], 'c' || n,
      $1::timestamptz - n * interval '3 minutes', $1::timestamptz - n * interval '97 seconds'
    FROM generate_series(0, ${CELLS - 1}) n`,
  );
  // Row g belongs to run g % runs, the (g / runs)-th record of it. Latencies: mostly seconds to
  // minutes, a tail to an hour, and 1 in 100 a first sync catching up on a change months old.
  await timed(
    'ledger entries',
    size.ledger,
    100_000,
    (from, to) => `
    INSERT INTO "LedgerEntry" ("runId", routine, "correlationId", "sourceSystem", "sourceType", "sourceId",
      "targetSystem", "targetType", "targetId", step, outcome, "sourceChangedAt", "startedAt", "finishedAt")
    SELECT ${runId('g % ' + runs)}, ${ROUTINE}[1 + (g % ${runs}) % 4]::"Routine", md5('corr' || g)::uuid,
      'netsuite', 'timebill', 'TB-' || g, 'stripe', 'invoiceitem', 'ii_' || g, 'deliver',
      (ARRAY['delivered','delivered','delivered','delivered','delivered','delivered','delivered','noop','noop','exception'])[1 + g % 10],
      CASE WHEN g % 50 = 7 THEN NULL
           WHEN g % 100 = 3 THEN f - random() * interval '300 days'
           ELSE f - (2 + power(random(), 4) * 3600) * interval '1 second' END,
      f - interval '1 second', f
    FROM generate_series(${from - 1}, ${to - 1}) g
    CROSS JOIN LATERAL (SELECT ${runStart('g % ' + runs)} + (g / ${runs}) * interval '20 seconds'
      + random() * interval '1 second' AS f) t`,
  );
  // Work dated over the year; billed 3–53 days after its work day unless that is still to come,
  // and 1 in 100 never billed; 3 in 100 without a price.
  await timed(
    'billable work',
    size.work,
    200_000,
    (from, to) => `
    INSERT INTO "BillableWork" ("canonicalId", "legalEntityId", "sourceType", "sourceId", "projectId", amount,
      currency, "workDate", "firstSeenAt", "billedAt", "billedInvoice", "updatedAt")
    SELECT md5('work' || g)::uuid, ${ENTITY}[1 + g % 3], CASE WHEN g % 20 = 0 THEN 'projecttask' ELSE 'timebill' END,
      'TB-' || g, 'P-' || (g % 500), CASE WHEN g % 33 = 0 THEN NULL ELSE round((50 + random() * 1950)::numeric, 2) END,
      ${CURRENCY}[1 + g % 3], w, w + interval '1 day',
      CASE WHEN g % 100 = 0 OR b > $1::timestamptz THEN NULL ELSE b END,
      CASE WHEN g % 100 = 0 OR b > $1::timestamptz THEN NULL ELSE 'in_' || (g % 20000) END, $1::timestamptz
    FROM generate_series(${from}, ${to}) g
    CROSS JOIN LATERAL (SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date - (random() * 365 + 0 * g)::int AS w) d
    CROSS JOIN LATERAL (SELECT (w + (3 + random() * 50) * interval '1 day') AT TIME ZONE 'UTC' AS b) billed`,
  );
  // Codes, routines and teams as the routines raise them; one in 28 a won deal held without its
  // project (about 1,000 deals, some held more than once); resolved or ignored ones closed
  // within ten days; one in 100 without a legal entity.
  await timed(
    'exceptions',
    size.exceptions,
    50_000,
    (from, to) => `
    INSERT INTO "SyncException" (id, fingerprint, kind, code, routine, "legalEntityId", "objectType", "externalIds",
      message, "targetCode", payload, "correlationId", amount, currency, status, team, priority, "firstSeenAt",
      "lastSeenAt", "resolvedAt", resolution)
    SELECT md5('exc' || g)::uuid, md5('fp' || g), k.kind::"ExceptionKind", k.code, k.routine::"Routine",
      CASE WHEN g % 100 = 99 THEN NULL ELSE ${ENTITY}[1 + g % 3] END,
      CASE WHEN k.i = 2 AND g % 28 = 2 THEN 'Engagement' ELSE k.object END,
      jsonb_build_array(jsonb_build_object('system', 'salesforce', 'objectType', 'Opportunity', 'externalId', 'OPP-' || (g % 1000))),
      k.code || ': record ' || g, CASE WHEN k.code = 'TARGET_REJECTED' AND g % 5 <> 0
        THEN (ARRAY['invoice_locked','customer_tax_id_invalid','amount_too_large','currency_mismatch'])[1 + g % 4] END,
      '{}'::jsonb, md5('c' || g)::uuid, round((random() * 20000)::numeric, 2), ${CURRENCY}[1 + g % 3],
      s.status::"ExceptionStatus", k.team::"Team", 'normal', t.first, t.first,
      CASE WHEN s.status IN ('resolved', 'ignored') THEN least(t.first + random() * interval '10 days', $1::timestamptz) END,
      CASE WHEN s.status IN ('resolved', 'ignored') THEN 'seeded' END
    FROM generate_series(${from}, ${to}) g
    CROSS JOIN LATERAL (SELECT $1::timestamptz - power(random() + 0 * g, 2) * interval '365 days' AS first) t
    CROSS JOIN LATERAL (SELECT (ARRAY['open','open','open','assigned','in_progress','resolved','resolved','ignored'])[1 + floor(random() * 8 + 0 * g)::int] AS status) s
    CROSS JOIN LATERAL (SELECT * FROM (VALUES
      (0, 'business', 'TAX_CODE_MISSING', 'billing_eligibility', 'finance', 'TimeBill'),
      (1, 'business', 'RATE_CARD_MISSING', 'billing_eligibility', 'finance', 'TimeBill'),
      (2, 'business', 'CUSTOMER_UNRESOLVED', 'project_activation', 'operations', 'Customer'),
      (3, 'business', 'OWNERSHIP_CONFLICT', 'change_orders', 'operations', 'ChangeOrder'),
      (4, 'business', 'CURRENCY_MISMATCH', 'billing_eligibility', 'finance', 'TimeBill'),
      (5, 'business', 'TARGET_REJECTED', 'billing_eligibility', 'finance', 'Invoice'),
      (6, 'technical', 'RETRIES_EXHAUSTED', 'project_activation', 'integration', 'Engagement'),
      (7, 'business', 'TARGET_REJECTED', 'invoice_status', 'finance', 'Invoice'),
      (8, 'business', 'TARGET_REJECTED', 'billing_eligibility', 'finance', 'InvoiceItem'),
      (9, 'technical', 'RETRIES_EXHAUSTED', 'change_orders', 'integration', 'ChangeOrder'),
      (10, 'business', 'TAX_CODE_MISSING', 'billing_eligibility', 'finance', 'TimeBill'),
      (11, 'business', 'OWNERSHIP_CONFLICT', 'invoice_status', 'operations', 'Invoice'),
      (12, 'technical', 'RETRIES_EXHAUSTED', 'billing_eligibility', 'integration', 'Invoice'),
      (13, 'business', 'CUSTOMER_UNRESOLVED', 'project_activation', 'operations', 'Customer')
    ) v(i, kind, code, routine, team, object) WHERE v.i = g % 14) k`,
  );
  for (const table of ['SyncRun', 'LedgerEntry', 'BillableWork', 'SyncException', 'Watermark'])
    await db().$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  for (const table of ['DeliveryLatency', 'ExceptionDay', 'ExceptionResolveTime', 'InvoiceRejectionDay'])
    await db().$executeRawUnsafe(`VACUUM ANALYZE "${table}"`);
  await db().$executeRawUnsafe(`VACUUM ANALYZE "UnbilledWorkDay"`);
  await db().$executeRawUnsafe(`VACUUM ANALYZE "UnbilledWorkChange"`);
}
