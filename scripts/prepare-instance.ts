import { seed } from '@/prisma/seed';
import { startSandbox } from '@/sandbox/start-sandbox';
import { db } from '@/server/db/client';
import type { InstanceDatabase } from '@/server/db/database-url';
import { prepareDatabase } from '@/server/jobs/prepare-database';
import { connectSandbox } from '@/server/services/connections/connect-sandbox';

export interface InstanceOptions {
  database: Pick<InstanceDatabase, 'url' | 'ownerUrl'>;
  dataDir: string;
  /** The demo users (with this password) and the sandbox firm connected: see `demoMode` in env.ts. */
  demo: { password: string } | null;
  sandbox: {
    ports: { salesforce: number; netsuite: number; stripe: number };
    simulate: boolean;
    simulatorLog?: 'detail' | 'summary';
  } | null;
  consoleUrl: string;
  log: (line: string) => void;
}

/**
 * What `npm start` does before it serves: migrations, the job queue, the application role's grants, the seed (demo users only in
 * demo mode), and the sandbox with its connections when asked for. Returns what must be stopped
 * on the way out. No password is ever logged here.
 */
export async function prepareInstance(options: InstanceOptions): Promise<{ stop: () => Promise<void> }> {
  const { log } = options;
  // The job queue is installed before the console serves "Run now", which queues jobs in SQL.
  const migrations = await prepareDatabase(options.database);
  log(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already in place`);
  const seeded = await seed({ demoPassword: options.demo?.password ?? null });
  if (seeded.created.length) log(`seeded: ${seeded.created.join(', ')}`);
  if (!(await db().user.count({ where: { role: 'admin', disabledAt: null } }))) {
    log(
      'no admin yet: create the first one with `npm run admin:create -- --email you@firm.example --name "Your Name"`',
    );
  }
  await db().$disconnect();
  if (!options.sandbox) return { stop: async () => {} };

  log('sandbox: starting the emulators (the first start loads the seeded firm)…');
  const sandbox = await startSandbox({
    // The emulators stand in for other firms' systems: their own schemas, made by the owner.
    databaseUrl: options.database.ownerUrl,
    dataDir: options.dataDir,
    ports: options.sandbox.ports,
    simulate: options.sandbox.simulate,
    simulatorLog: options.sandbox.simulatorLog,
    log: (line) => log(`sandbox: ${line}`),
  });
  // Connections to the sandbox, with Stripe's webhooks sent to this console.
  await connectSandbox(sandbox, { webhookUrl: `${options.consoleUrl}/api/webhooks/stripe` });
  await db().$disconnect();
  log('connections: Salesforce, NetSuite and Stripe sandboxes connected for the US, UK and DE entities');
  return { stop: () => sandbox.stop() };
}
