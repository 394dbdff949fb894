import Decimal from 'decimal.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '@/test/scratch-database';
import { ensureFirmLoaded, InterruptedLoadError } from './load-firm';
import { ensureMetaSchema, recordLoadStarted } from './load-ledger';

const SCALE = 2_000;
const AS_OF = '2026-03-18';

describe('loading the firm', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let pool: pg.Pool;

  beforeAll(async () => {
    database = await createScratchDatabase({ migrated: false });
    pool = new pg.Pool({ connectionString: database.url, max: 10 });
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  async function count(table: string): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0]?.n);
  }

  it('loads once, however often and however concurrently it is asked', async () => {
    const results = await Promise.all([
      ensureFirmLoaded(pool, { seed: 3, scale: SCALE, asOf: AS_OF }),
      ensureFirmLoaded(pool, { seed: 3, scale: SCALE, asOf: AS_OF }),
    ]);
    expect(results.map((r) => r.loadedNow).sort()).toEqual([false, true]);
    const loaded = results.find((r) => r.loadedNow)!;
    expect(loaded.counts['netsuite.timebill']).toBe(SCALE);
    expect(await count('sandbox_netsuite.timebill')).toBe(SCALE);
    expect(await count('sandbox_salesforce.account')).toBe(loaded.counts['salesforce.Account']);
    expect(await count('sandbox_stripe.invoices')).toBe(loaded.counts['stripe.invoice']);

    const later = await ensureFirmLoaded(pool, { seed: 99, scale: 50_000 });
    expect(later).toMatchObject({ loadedNow: false, seed: 3, scale: SCALE, asOf: AS_OF });
    expect(later.plantedProblems).toEqual(loaded.plantedProblems);
    expect(await count('sandbox_netsuite.timebill')).toBe(SCALE);
    expect(await count('sandbox_salesforce.opportunity')).toBe(loaded.counts['salesforce.Opportunity']);
  });

  it('refuses to build on a load that died half-way', async () => {
    const schemas = {
      meta: 'meta_interrupted',
      salesforce: 'sf_interrupted',
      netsuite: 'ns_interrupted',
      stripe: 'st_interrupted',
    };
    await ensureMetaSchema(pool, schemas.meta);
    await recordLoadStarted(pool, schemas.meta, { seed: 5, scale: 10, asOf: AS_OF, manifest: [] });
    await expect(ensureFirmLoaded(pool, { seed: 5, scale: 10, asOf: AS_OF, schemas })).rejects.toBeInstanceOf(
      InterruptedLoadError,
    );
    const retried = await ensureFirmLoaded(pool, { seed: 5, scale: 10, asOf: AS_OF, schemas, retryInterrupted: true });
    expect(retried.loadedNow).toBe(true);
    expect(await count('ns_interrupted.timebill')).toBe(10);
  });

  it('keeps money exact across the systems', async () => {
    // Every ERP invoice has its billing twin with the same total, in minor units there.
    const { rows } = await pool.query<{ ns_total: string; stripe_total: string }>(`
      SELECT ns.total::text AS ns_total,
             (SELECT sum((ii.doc->>'amount')::bigint) FROM sandbox_stripe.invoice_items ii WHERE ii.invoice = st.id)::text AS stripe_total
        FROM sandbox_netsuite.invoice ns
        JOIN sandbox_stripe.invoices st ON st.id = ns.external_id`);
    expect(rows.length).toBeGreaterThan(100);
    for (const row of rows) expect(row.stripe_total).toBe(new Decimal(row.ns_total).times(100).toFixed(0));
  });
});
