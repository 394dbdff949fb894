/**
 * The engine half of `npm run bench:sync`, run in a child process of its own so that its peak
 * memory is the engine's alone (the sandbox and the database stay in the parent): runs the
 * billing-eligibility routine for each legal entity, one after another, and writes its wall time,
 * CPU time, run summaries and peak RSS as JSON to `--out`. `--concurrent` runs the entities side
 * by side instead, as a worker with several job slots does, sharing one connector per connection
 * and so its request limits.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { ReferenceCache } from '../reference-cache';
import { BillingReference } from '../routines/billing-reference';
import { runRoutine } from '../run-routine';
import type { RunSummary } from '../run-types';

const { values } = parseArgs({
  options: {
    connection: { type: 'string' },
    entities: { type: 'string' },
    'batch-size': { type: 'string' },
    concurrent: { type: 'boolean' },
    out: { type: 'string' },
  },
  strict: true,
});
const options = z
  .object({
    connection: z.uuid(),
    entities: z.string().transform((v) => v.split(',').filter(Boolean)),
    'batch-size': z.coerce.number().int().min(1).max(10_000).optional(),
    concurrent: z.boolean().default(false),
    out: z.string().min(1),
  })
  .parse(values);

export interface EngineMeasurement {
  seconds: number;
  /** Before the clock: the reference copy filled, the database client started. */
  warmUpSeconds: number;
  /** CPU time this process spent in the runs, user and system. */
  cpuSeconds: number;
  peakRssBytes: number;
  summaries: RunSummary[];
}

const run = (legalEntityId: string) =>
  runRoutine({
    routine: 'billing_eligibility',
    connectionId: options.connection,
    legalEntityId,
    trigger: 'manual',
    batchSize: options['batch-size'],
  });

// A worker's process is warm and its copy of the ERP's reference data current from run to run.
// The first run after a firm is loaded would also pay for starting the database client and copying
// the firm's whole reference data, which no later run reads again: done before the clock starts.
const warmStarted = performance.now();
await BillingReference.open(new ReferenceCache(options.connection, await connectorFor(options.connection)), '');
const warmUpSeconds = (performance.now() - warmStarted) / 1000;

const cpuSeconds = () => {
  const { userCPUTime, systemCPUTime } = process.resourceUsage();
  return (userCPUTime + systemCPUTime) / 1e6;
};
const started = performance.now();
const cpuAtStart = cpuSeconds();
const summaries: RunSummary[] = [];
if (options.concurrent) summaries.push(...(await Promise.all(options.entities.map(run))));
else for (const entity of options.entities) summaries.push(await run(entity));
const seconds = (performance.now() - started) / 1000;
const cpuUsed = cpuSeconds() - cpuAtStart;
// The kernel's high-water mark of this process's resident memory (in kilobytes): a true peak,
// which sampling could miss.
const measurement: EngineMeasurement = {
  seconds,
  warmUpSeconds,
  cpuSeconds: cpuUsed,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  summaries,
};
await db().$disconnect();
writeFileSync(options.out, JSON.stringify(measurement));
