import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection, OAuth2 } from 'jsforce';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '@/test/scratch-database';
import { netSuiteClient, type NetSuiteClient } from '@/sandbox/simulator/netsuite-client';
import type { PlantedProblemManifestEntry } from '@/sandbox/firm/system-ids';
import { startSandbox, type Sandbox, type SandboxDescription } from './start-sandbox';

const ANY_PORT = { salesforce: 0, netsuite: 0, stripe: 0 };

async function salesforceConnection(description: SandboxDescription): Promise<Connection> {
  const { salesforce } = description;
  const oauth2 = new OAuth2({
    clientId: salesforce.clientId,
    clientSecret: salesforce.clientSecret,
    authzServiceUrl: salesforce.tokenUrl.replace(/\/token$/, '/authorize'),
    tokenServiceUrl: salesforce.tokenUrl,
  });
  const token = (await oauth2.requestToken({ grant_type: 'client_credentials' })) as {
    access_token: string;
    instance_url?: string;
  };
  return new Connection({
    instanceUrl: token.instance_url ?? salesforce.baseUrl,
    accessToken: token.access_token,
    version: salesforce.apiVersion,
  });
}

function stripeClient(description: SandboxDescription): Stripe {
  const url = new URL(description.stripe.baseUrl);
  return new Stripe(description.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}

function problem(sandbox: SandboxDescription, kind: string, system?: string): PlantedProblemManifestEntry {
  const found = sandbox.firm?.plantedProblems.find((p) => p.kind === kind && (!system || p.system === system));
  if (!found) throw new Error(`no planted ${kind}`);
  return found;
}

function recordId(entry: PlantedProblemManifestEntry, system: string, object: string, index = 0): string {
  const ids = entry.records.filter((r) => r.system === system && r.object === object).map((r) => r.id);
  const id = ids[index];
  if (!id) throw new Error(`${entry.kind} names no ${system} ${object}`);
  return id;
}

describe('startSandbox', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dataDir: string;
  let sandbox: Sandbox;
  let salesforce: Connection;
  let netsuite: NetSuiteClient;
  let stripe: Stripe;

  beforeAll(async () => {
    database = await createScratchDatabase({ migrated: false });
    dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-test-'));
    sandbox = await startSandbox({
      databaseUrl: database.url,
      ports: ANY_PORT,
      dataDir,
      seed: 11,
      scale: 2_000,
      asOf: '2026-04-15',
    });
    salesforce = await salesforceConnection(sandbox);
    netsuite = netSuiteClient(sandbox.netsuite);
    stripe = stripeClient(sandbox);
  });

  afterAll(async () => {
    await sandbox?.stop();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the three emulators on loopback and writes sandbox.json for the owner only', async () => {
    for (const url of [sandbox.salesforce.baseUrl, sandbox.netsuite.baseUrl, sandbox.stripe.baseUrl]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/__sandbox/health`);
      expect(health.status).toBe(200);
    }
    expect(statSync(sandbox.file).mode & 0o777).toBe(0o600);
    const written = JSON.parse(readFileSync(sandbox.file, 'utf8')) as SandboxDescription;
    expect(written.salesforce).toEqual(sandbox.salesforce);
    expect(written.netsuite).toEqual(sandbox.netsuite);
    expect(written.stripe).toEqual(sandbox.stripe);
    expect(written.stripe.secretKey).toMatch(/^sk_test_/);
    expect(written.firm).toMatchObject({ seed: 11, scale: 2_000, asOf: '2026-04-15' });
  });

  it('serves the planted CRM problems to jsforce', async () => {
    const noTax = problem(sandbox, 'TAX_CODE_MISSING', 'salesforce');
    const account = await salesforce.sobject('Account').retrieve(recordId(noTax, 'salesforce', 'Account'));
    expect(account).toMatchObject({ Tax_Registration__c: null, Legal_Entity__c: 'DE' });

    const mismatch = problem(sandbox, 'CURRENCY_MISMATCH');
    const deal = await salesforce.query<{
      CurrencyIsoCode: string;
      Legal_Entity__c: string;
      StageName: string;
      Account: { CurrencyIsoCode: string };
    }>(
      `SELECT CurrencyIsoCode, Legal_Entity__c, StageName, Account.CurrencyIsoCode FROM Opportunity WHERE Id = '${recordId(mismatch, 'salesforce', 'Opportunity')}'`,
    );
    expect(deal.records[0]).toMatchObject({
      CurrencyIsoCode: 'USD',
      Legal_Entity__c: 'UK',
      StageName: 'Closed Won',
      Account: { CurrencyIsoCode: 'GBP' },
    });

    const duplicate = problem(sandbox, 'DUPLICATE_ACCOUNT');
    const original = await salesforce.sobject('Account').retrieve(recordId(duplicate, 'salesforce', 'Account', 0));
    const sameName = await salesforce.query<{ Id: string }>(
      `SELECT Id FROM Account WHERE Name = '${String(original.Name).replace(/'/g, "\\'")}'`,
    );
    expect(sameName.records.map((r) => r.Id).sort()).toEqual(
      [recordId(duplicate, 'salesforce', 'Account', 0), recordId(duplicate, 'salesforce', 'Account', 1)].sort(),
    );

    // The whole firm pages through jsforce like a real org.
    const won = await salesforce.query('SELECT Id FROM Opportunity WHERE IsWon = true');
    expect(won.totalSize).toBeGreaterThan(200);
  });

  it('serves the planted ERP problems over signed REST and SuiteQL', async () => {
    const rateless = problem(sandbox, 'RATE_CARD_MISSING');
    const job = recordId(rateless, 'netsuite', 'job');
    const rates = await netsuite.suiteql(
      `SELECT id FROM customrecord_sw_ratecard WHERE custrecord_sw_rc_project = ${job}`,
    );
    expect(rates.totalResults).toBe(0);
    const time = await netsuite.suiteql<{ rate?: string }>(`SELECT id, rate FROM timebill WHERE customer = ${job}`);
    expect(time.totalResults).toBeGreaterThan(0);
    expect(time.items.every((t) => t.rate === undefined)).toBe(true);

    const healthy = await netsuite.suiteql<{ custrecord_sw_rc_project: string }>(
      'SELECT custrecord_sw_rc_project FROM customrecord_sw_ratecard',
      { limit: 5 },
    );
    expect(healthy.items).toHaveLength(5);

    const noTax = problem(sandbox, 'TAX_CODE_MISSING', 'netsuite');
    const customer = await netsuite.get<{ companyName: string; vatRegNumber?: string }>(
      'customer',
      recordId(noTax, 'netsuite', 'customer'),
    );
    expect(customer.companyName).toBeTruthy();
    expect(customer.vatRegNumber ?? null).toBeNull();
    const crmAccount = await salesforce.sobject('Account').retrieve(recordId(noTax, 'salesforce', 'Account'));
    expect(crmAccount).toMatchObject({ Name: customer.companyName, Tax_Registration__c: null, Legal_Entity__c: 'UK' });
    const unbilled = await netsuite.suiteql(
      `SELECT id FROM timebill WHERE customer = ${recordId(noTax, 'netsuite', 'job')}`,
    );
    expect(unbilled.totalResults).toBeGreaterThan(0);
  });

  it('holds the invoice billing will refuse, and refuses it through the stripe SDK', async () => {
    const rejected = problem(sandbox, 'INVOICE_REJECTED');
    const id = recordId(rejected, 'stripe', 'invoice');
    const invoice = await stripe.invoices.retrieve(id);
    expect(invoice.status).toBe('draft');
    expect(invoice.total).toBeGreaterThan(0);
    await expect(stripe.invoices.finalizeInvoice(id)).rejects.toMatchObject({ code: 'customer_tax_location_invalid' });
    expect((await stripe.invoices.retrieve(id)).status).toBe('draft');

    // A paid invoice matches its ERP copy to the cent.
    const paid = await stripe.invoices.list({ status: 'paid', limit: 1 });
    const first = paid.data[0]!;
    const erp = await netsuite.suiteql<{ total: string }>(
      `SELECT total FROM transaction WHERE custbody_sw_stripe_invoice_id = '${first.id}'`,
    );
    expect(Math.round(Number(erp.items[0]?.total) * 100)).toBe(first.total);
  });

  it('keeps credentials, ids and data across a restart on the same database', async () => {
    const before = await salesforce.query<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Account ORDER BY Name LIMIT 3',
    );
    const keys = (d: SandboxDescription) => {
      const { baseUrl: _s, ...sf } = d.salesforce;
      const { baseUrl: _n, ...ns } = d.netsuite;
      const { baseUrl: _t, ...st } = d.stripe;
      return { sf: { ...sf, tokenUrl: undefined }, ns, st };
    };
    const credentialsBefore = keys(sandbox);
    await sandbox.stop();

    sandbox = await startSandbox({ databaseUrl: database.url, ports: ANY_PORT, dataDir, seed: 12, scale: 5_000 });
    expect(sandbox.firm).toMatchObject({ seed: 11, scale: 2_000 });
    expect(keys(sandbox)).toEqual(credentialsBefore);
    expect(keys(JSON.parse(readFileSync(sandbox.file, 'utf8')) as SandboxDescription)).toEqual(credentialsBefore);

    salesforce = await salesforceConnection(sandbox);
    netsuite = netSuiteClient(sandbox.netsuite);
    const after = await salesforce.query<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Account ORDER BY Name LIMIT 3',
    );
    expect(after.records).toEqual(before.records);
    const time = await netsuite.suiteql('SELECT id FROM timebill', { limit: 1 });
    expect(time.totalResults).toBe(2_000);
  });
});
