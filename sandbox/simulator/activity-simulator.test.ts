import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, OAuth2 } from 'jsforce';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '@/test/scratch-database';
import { startSandbox, type Sandbox } from '@/sandbox/start-sandbox';
import { createActivitySimulator, type ActivitySimulator } from './activity-simulator';
import { netSuiteClient } from './netsuite-client';

describe('the activity simulator', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataDir: string;
  let sandbox: Sandbox;
  let simulator: ActivitySimulator;
  const lines: string[] = [];

  beforeAll(async () => {
    database = await createScratchDatabase({ migrated: false });
    dataDir = mkdtempSync(path.join(tmpdir(), 'simulator-test-'));
    sandbox = await startSandbox({
      databaseUrl: database.url,
      ports: { salesforce: 0, netsuite: 0, stripe: 0 },
      dataDir,
      seed: 5,
      scale: 2_000,
      simulate: false,
    });
    simulator = createActivitySimulator(sandbox, { seed: 5, actionTimeoutMs: 2_000, log: (line) => lines.push(line) });
  });

  afterAll(async () => {
    await simulator?.stop();
    await sandbox?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function observe() {
    const oauth2 = new OAuth2({
      clientId: sandbox.salesforce.clientId,
      clientSecret: sandbox.salesforce.clientSecret,
      authzServiceUrl: sandbox.salesforce.tokenUrl.replace(/\/token$/, '/authorize'),
      tokenServiceUrl: sandbox.salesforce.tokenUrl,
    });
    const token = (await oauth2.requestToken({ grant_type: 'client_credentials' })) as { access_token: string };
    const salesforce = new Connection({
      instanceUrl: sandbox.salesforce.baseUrl,
      accessToken: token.access_token,
      version: sandbox.salesforce.apiVersion,
    });
    const netsuite = netSuiteClient(sandbox.netsuite);
    const url = new URL(sandbox.stripe.baseUrl);
    const stripe = new Stripe(sandbox.stripe.secretKey, {
      host: url.hostname,
      port: Number(url.port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    let openInvoices = 0;
    for await (const _invoice of stripe.invoices.list({ status: 'open', limit: 100 })) openInvoices++;
    return {
      won: (await salesforce.query('SELECT COUNT() FROM Opportunity WHERE IsWon = true')).totalSize,
      approvedTime: (await netsuite.suiteql("SELECT id FROM timebill WHERE approvalstatus = '2'", { limit: 1 }))
        .totalResults,
      completedMilestones: (
        await netsuite.suiteql("SELECT id FROM projecttask WHERE status = 'COMPLETE'", { limit: 1 })
      ).totalResults,
      openInvoices,
    };
  }

  it('moves every system a step per tick through their public APIs', async () => {
    const before = await observe();
    for (let i = 0; i < 3; i++) {
      const report = await simulator.tick();
      expect(report.outcomes.filter((o) => !o.ok)).toEqual([]);
    }
    const after = await observe();
    expect(after.won).toBe(before.won + 3);
    expect(after.approvedTime).toBeGreaterThanOrEqual(before.approvedTime + 3);
    expect(after.completedMilestones).toBe(before.completedMilestones + 3);
    expect(after.openInvoices).toBe(before.openInvoices - 3);
    expect(lines.some((line) => /salesforce closeDeal: closed 006/.test(line))).toBe(true);
  });

  it('logs injected faults and carries on', async () => {
    sandbox.faults.stripe.set({ rate5xx: 1 });
    sandbox.faults.netsuite.set({ rateTimeout: 1 });
    try {
      const report = await simulator.tick();
      const failed = Object.fromEntries(report.outcomes.map((o) => [o.action, o.ok]));
      expect(failed).toEqual({ closeDeal: true, approveTime: false, completeMilestone: false, payInvoice: false });
      expect(report.outcomes.find((o) => o.action === 'approveTime')?.detail).toMatch(/no answer|abort|timeout/i);
      expect(lines.some((line) => line.includes('stripe payInvoice: failed'))).toBe(true);
    } finally {
      sandbox.faults.stripe.reset();
      sandbox.faults.netsuite.reset();
    }
    const recovered = await simulator.tick();
    expect(recovered.outcomes.every((o) => o.ok)).toBe(true);
  });

  it('runs on its own timer and stops cleanly', async () => {
    const timed = createActivitySimulator(sandbox, {
      seed: 6,
      intervalMs: 20,
      log: (line) => lines.push(`timed ${line}`),
    });
    timed.start();
    const deadline = Date.now() + 20_000;
    while (!lines.some((line) => line.startsWith('timed simulator tick 2 ')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await timed.stop();
    const ticked = lines.filter((line) => line.startsWith('timed ')).length;
    expect(ticked).toBeGreaterThanOrEqual(8);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lines.filter((line) => line.startsWith('timed ')).length).toBe(ticked);
  });
});
