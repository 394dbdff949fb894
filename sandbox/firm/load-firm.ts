import type pg from 'pg';
import type { Firm } from './firm-model';
import { generateFirm } from './generate-firm';
import { todayIso } from './dates';
import {
  clearFirmLoad,
  DEFAULT_META_SCHEMA,
  ensureMetaSchema,
  readFirmLoad,
  recordLoadFinished,
  recordLoadStarted,
} from './load-ledger';
import { loadNetSuite } from './load-netsuite';
import { loadSalesforce } from './load-salesforce';
import { loadStripe } from './load-stripe';
import { plantedProblemManifest, type PlantedProblemManifestEntry } from './system-ids';

/**
 * Loads the seeded firm into the three emulators' schemas with their bulk loaders — the CRM,
 * ERP and billing sides side by side on the pool — and remembers in `sandbox_meta.firm_load`
 * that it did, so a database is loaded once whatever seed or scale later starts ask for.
 */
export interface LoadSchemas {
  salesforce?: string;
  netsuite?: string;
  stripe?: string;
  meta?: string;
}

export interface LoadFirmOptions {
  schemas?: LoadSchemas;
  /** Records per bulk call for time entries. */
  chunkSize?: number;
  log?: (line: string) => void;
  /** The time stamped on records that carry no time of their own. */
  now?: Date;
}

export type LoadCounts = Record<string, number>;

/** Loads a generated firm; returns rows loaded per system table (e.g. 'netsuite.timebill'). */
export async function loadFirm(pool: pg.Pool, firm: Firm, options: LoadFirmOptions = {}): Promise<LoadCounts> {
  const schemas = options.schemas ?? {};
  const common = { now: options.now, chunkSize: options.chunkSize, log: options.log };
  const [salesforce, stripe, netsuite] = await Promise.all([
    loadSalesforce(pool, firm, { ...common, schema: schemas.salesforce }),
    loadStripe(pool, firm, { ...common, schema: schemas.stripe }),
    loadNetSuite(pool, firm, { ...common, schema: schemas.netsuite }),
  ]);
  return { ...salesforce, ...netsuite, ...stripe };
}

export interface FirmLoadResult {
  /** True when this call loaded the firm; false when the database already held one. */
  loadedNow: boolean;
  seed: number;
  scale: number;
  asOf: string;
  counts: LoadCounts;
  /** Seconds the load took (this call's, or the original load's). */
  seconds: number;
  plantedProblems: PlantedProblemManifestEntry[];
}

export class InterruptedLoadError extends Error {}

/**
 * Loads the firm unless this database holds one already. Concurrent callers on one database
 * wait for each other (an advisory lock), so two sandboxes starting at once load once.
 * A load that died half-way cannot be resumed — bulk loading does not upsert — and is reported
 * as such unless `retryInterrupted` is set, which is only safe on emptied emulator schemas.
 */
export async function ensureFirmLoaded(
  pool: pg.Pool,
  options: LoadFirmOptions & { seed: number; scale: number; asOf?: string; retryInterrupted?: boolean },
): Promise<FirmLoadResult> {
  const metaSchema = options.schemas?.meta ?? DEFAULT_META_SCHEMA;
  const log = options.log ?? (() => {});
  await ensureMetaSchema(pool, metaSchema);
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`sandbox-firm-load:${metaSchema}`]);
    let existing = await readFirmLoad(lock, metaSchema);
    if (existing?.status === 'loading') {
      if (!options.retryInterrupted) {
        throw new InterruptedLoadError(
          `An earlier load of the seeded firm (seed ${existing.seed}, scale ${existing.scale}) into this database was interrupted. ` +
            'Start the sandbox on an empty database (or drop its sandbox_* schemas) to load it again.',
        );
      }
      await clearFirmLoad(lock, metaSchema);
      existing = null;
    }
    if (existing) {
      if (existing.seed !== options.seed || existing.scale !== options.scale) {
        log(
          `This database already holds the firm of seed ${existing.seed} at scale ${existing.scale}; ` +
            `keeping it (asked for seed ${options.seed}, scale ${options.scale}).`,
        );
      }
      return {
        loadedNow: false,
        seed: existing.seed,
        scale: existing.scale,
        asOf: existing.asOf,
        counts: existing.counts ?? {},
        seconds: existing.finishedAt ? (Date.parse(existing.finishedAt) - Date.parse(existing.startedAt)) / 1000 : 0,
        plantedProblems: (existing.manifest ?? []) as PlantedProblemManifestEntry[],
      };
    }

    const started = performance.now();
    const asOf = options.asOf ?? todayIso();
    log(
      `Generating the firm: seed ${options.seed}, ${options.scale.toLocaleString('en-US')} time entries, as of ${asOf}`,
    );
    const firm = generateFirm({ seed: options.seed, scale: options.scale, asOf });
    const plantedProblems = plantedProblemManifest(firm);
    await recordLoadStarted(lock, metaSchema, {
      seed: options.seed,
      scale: options.scale,
      asOf,
      manifest: plantedProblems,
    });
    const counts = await loadFirm(pool, firm, options);
    await recordLoadFinished(lock, metaSchema, counts);
    const seconds = (performance.now() - started) / 1000;
    log(`Loaded the firm in ${seconds.toFixed(1)} s`);
    return { loadedNow: true, seed: options.seed, scale: options.scale, asOf, counts, seconds, plantedProblems };
  } finally {
    await lock
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`sandbox-firm-load:${metaSchema}`])
      .catch(() => undefined);
    lock.release();
  }
}

/** The firm this database holds, if any, without loading anything. */
export async function describeLoadedFirm(pool: pg.Pool, metaSchema = DEFAULT_META_SCHEMA) {
  const exists = await pool.query(
    `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'firm_load'`,
    [metaSchema],
  );
  if (exists.rowCount === 0) return null;
  const record = await readFirmLoad(pool, metaSchema);
  return record?.status === 'loaded' ? record : null;
}
