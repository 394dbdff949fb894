/**
 * `npm run sandbox` — starts the sandbox on its own: the Salesforce, NetSuite and Stripe
 * emulators, the seeded firm and the activity simulator, until Ctrl-C.
 *
 *   npm run sandbox -- [--seed 42] [--scale 20000] [--no-simulate] [--simulate-every 5]
 *                      [--salesforce-port 4010] [--netsuite-port 4020] [--stripe-port 4030]
 *                      [--data-dir .data]
 *
 * With DATABASE_URL the state lives in that database; without it, in a PostgreSQL server of the
 * sandbox's own under `<data dir>/sandbox-postgres` (started and stopped with the sandbox).
 * Base URLs and credentials are printed and written to `<data dir>/sandbox.json`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env } from '@/env';
import { DEFAULT_PORTS, startSandbox, startSandboxDatabase, type SandboxDatabase } from './start-sandbox';
import { DEFAULT_SCALE, DEFAULT_SEED, MAX_SCALE } from './firm/generate-firm';

const port = z.coerce.number().int().min(0).max(65_535);
const cli = z.object({
  seed: z.coerce.number().int().min(0).max(0xffffffff).default(DEFAULT_SEED),
  scale: z.coerce.number().int().min(0).max(MAX_SCALE).default(DEFAULT_SCALE),
  'no-simulate': z.boolean().default(false),
  'simulate-every': z.coerce.number().min(0.1).max(3_600).default(5),
  'salesforce-port': port.default(DEFAULT_PORTS.salesforce),
  'netsuite-port': port.default(DEFAULT_PORTS.netsuite),
  'stripe-port': port.default(DEFAULT_PORTS.stripe),
  'data-dir': z.string().default(env.SYNCWRIGHT_DATA_DIR),
  help: z.boolean().default(false),
});

let parsed: z.infer<typeof cli>;
try {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      scale: { type: 'string' },
      'no-simulate': { type: 'boolean' },
      'simulate-every': { type: 'string' },
      'salesforce-port': { type: 'string' },
      'netsuite-port': { type: 'string' },
      'stripe-port': { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  parsed = cli.parse(values);
} catch (error) {
  console.error(
    error instanceof z.ZodError
      ? error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')
      : String(error),
  );
  console.error(
    'Usage: npm run sandbox -- [--seed N] [--scale N] [--no-simulate] [--simulate-every SECONDS] [--salesforce-port P] [--netsuite-port P] [--stripe-port P] [--data-dir DIR]',
  );
  process.exit(2);
}
if (parsed.help) {
  console.log(
    'Usage: npm run sandbox -- [--seed N] [--scale N] [--no-simulate] [--simulate-every SECONDS] [--salesforce-port P] [--netsuite-port P] [--stripe-port P] [--data-dir DIR]',
  );
  process.exit(0);
}

const log = (line: string) => console.log(`[sandbox] ${line}`);
const dataDir = path.resolve(parsed['data-dir']);
let database: SandboxDatabase | null = null;
let databaseUrl = env.DATABASE_URL;
if (!databaseUrl) {
  log(`No DATABASE_URL: starting the sandbox's own PostgreSQL in ${path.join(dataDir, 'sandbox-postgres')}`);
  database = await startSandboxDatabase({ dir: path.join(dataDir, 'sandbox-postgres') });
  databaseUrl = database.url;
}

const sandbox = await startSandbox({
  databaseUrl,
  ports: { salesforce: parsed['salesforce-port'], netsuite: parsed['netsuite-port'], stripe: parsed['stripe-port'] },
  dataDir,
  seed: parsed.seed,
  scale: parsed.scale,
  simulate: !parsed['no-simulate'],
  simulatorIntervalMs: parsed['simulate-every'] * 1000,
  simulatorLog: 'detail',
  log,
}).catch(async (error: unknown) => {
  await database?.stop();
  throw error;
});

console.log(`
Salesforce  ${sandbox.salesforce.baseUrl}  (API v${sandbox.salesforce.apiVersion})
  token URL      ${sandbox.salesforce.tokenUrl}
  client id      ${sandbox.salesforce.clientId}
  client secret  ${sandbox.salesforce.clientSecret}
NetSuite    ${sandbox.netsuite.baseUrl}  (account ${sandbox.netsuite.accountId})
  consumer key     ${sandbox.netsuite.consumerKey}
  consumer secret  ${sandbox.netsuite.consumerSecret}
  token id         ${sandbox.netsuite.tokenId}
  token secret     ${sandbox.netsuite.tokenSecret}
Stripe      ${sandbox.stripe.baseUrl}
  secret key       ${sandbox.stripe.secretKey}
  publishable key  ${sandbox.stripe.publishableKey}

Firm: seed ${sandbox.firm?.seed}, ${sandbox.firm?.scale.toLocaleString('en-US')} time entries, as of ${sandbox.firm?.asOf}; ${sandbox.firm?.plantedProblems.length ?? 0} planted problems.
Written to ${sandbox.file}. Fault injection: PUT <base URL>/__sandbox/faults. Ctrl-C stops.
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await sandbox.stop();
  await database?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
