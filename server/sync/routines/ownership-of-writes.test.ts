import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import type { OwnershipRuleInput } from '@/server/domain/ownership';
import { activeOwnershipRules, publishOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { draftWithTime, startBillingSandbox, type BillingSandbox } from '@/test/billing-sandbox';
import { runRoutine } from '../run-routine';

/**
 * Every attribute a routine writes to a target is checked against the ownership rules in force:
 * a target that is the system of record of an attribute keeps its own value.
 */
let sandbox: BillingSandbox;
let crm: Connection;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  sandbox = await startBillingSandbox();
  const sf = sandbox.sandbox.salesforce;
  const token = await fetch(sf.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sf.clientId,
      client_secret: sf.clientSecret,
    }),
  }).then((r) => r.json() as Promise<{ access_token: string }>);
  crm = new Connection({ instanceUrl: sf.baseUrl, accessToken: token.access_token, version: sf.apiVersion });
}, 120_000);
afterAll(() => sandbox?.stop());

/** Reads take only closed seconds: wait until a change made just now is in one. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3_500));

/** Runs `body` under the rules in force plus `extra` (replacing rules of the same attribute), then restores them. */
async function withRules(extra: OwnershipRuleInput[], body: (version: number) => Promise<void>) {
  const current = await activeOwnershipRules();
  const replaced = (r: OwnershipRuleInput) =>
    extra.some((e) => e.objectType === r.objectType && e.attribute === r.attribute);
  const { version } = await db().$transaction((tx) =>
    publishOwnershipRules(
      tx,
      { rules: [...current.rules.filter((r) => !replaced(r)), ...extra], note: 'test' },
      context,
    ),
  );
  try {
    await body(version);
  } finally {
    await db().$transaction((tx) => publishOwnershipRules(tx, { rules: current.rules, note: 'restored' }, context));
  }
}

describe('ownership of what routines write', () => {
  it('billing leaves the billing customer’s email alone where billing owns it, and still updates the name', async () => {
    const first = await sandbox.runBilling('UK');
    expect(first.status).toBe('succeeded');
    const { draft, items } = await draftWithTime(sandbox, 'UK');
    const stripeCustomer = draft.customer as string;
    const erpCustomer = draft.metadata!.netsuite_customer_id!;

    await withRules([{ objectType: 'Customer', attribute: 'email', owner: 'stripe', team: 'finance' }], async () => {
      // Finance sends this customer's invoices elsewhere; the ERP renames the customer; more time is approved.
      await sandbox.stripe.customers.update(stripeCustomer, { email: 'accounts-payable@customer.example' });
      const renamed = `Renamed customer ${Date.now()}`;
      await sandbox.erp.upsert(
        'customer',
        { key: '', targetId: erpCustomer, fields: { companyName: renamed } },
        `rename-${erpCustomer}`,
      );
      await sandbox.approveLateTime(items[0]!.metadata!.netsuite_id!);
      const run = await sandbox.runBilling('UK');
      expect(run.status).toBe('succeeded');

      const customer = await sandbox.stripe.customers.retrieve(stripeCustomer);
      expect(customer.deleted).toBeFalsy();
      expect((customer as { name: string | null }).name).toBe(renamed);
      expect((customer as { email: string | null }).email).toBe('accounts-payable@customer.example');
    });
  });

  it('invoice status does not write the amount paid to the ERP where the ERP owns it', async () => {
    const open = (await sandbox.stripe.invoices.list({ status: 'open', limit: 100 })).data.find(
      (i) => i.metadata?.legal_entity === 'US' && i.amount_remaining > 0,
    )!;
    expect(open).toBeDefined();
    const runStatus = () =>
      runRoutine({
        routine: 'invoice_status',
        connectionId: sandbox.connections.stripe,
        legalEntityId: 'US',
        trigger: 'manual',
      });
    // Catch up on the entity's invoices first (hundreds of them: allowed the time it takes).
    await runStatus();
    const before = (await sandbox.erp.get('invoice', open.id))!;
    expect(Number(before.amountRemaining)).toBeGreaterThan(0);

    await withRules(
      [{ objectType: 'Invoice', attribute: 'amountPaid', owner: 'netsuite', team: 'finance' }],
      async (version) => {
        await sandbox.stripe.invoices.pay(open.id);
        const run = await runStatus();
        expect(run.error).toBeNull();
        const after = (await sandbox.erp.get('invoice', open.id))!;
        expect(Number(after.amountRemaining)).toBe(Number(before.amountRemaining));
        const conflict = await db().syncException.findFirstOrThrow({
          where: { code: 'OWNERSHIP_CONFLICT', externalIds: { array_contains: [{ externalId: open.id }] } },
        });
        expect(conflict.message).toContain('amountPaid (owned by netsuite)');
        const ledger = await db().ledgerEntry.findFirstOrThrow({
          where: { sourceId: open.id, outcome: 'exception' },
          orderBy: { id: 'desc' },
        });
        expect(ledger).toMatchObject({ step: 'ownership', ruleVersion: version });
      },
    );
  }, 120_000);

  it('project activation does not write the CRM’s tax registration onto the ERP customer the ERP owns it on', async () => {
    const rules = await activeOwnershipRules();
    // The seeded rule: the ERP keeps a customer's tax registration.
    expect(rules.rules).toContainEqual(
      expect.objectContaining({ objectType: 'Customer', attribute: 'taxRegistration', owner: 'netsuite' }),
    );
    const account = (await crm.sobject('Account').create({
      Name: `Tax Owner Test ${Date.now()}`,
      Legal_Entity__c: 'UK',
      Tax_Registration__c: 'GB123456789',
      CurrencyIsoCode: 'GBP',
    })) as { id: string; success: boolean };
    expect(account.success).toBe(true);
    const deal = (await crm.sobject('Opportunity').create({
      Name: 'Tax ownership - Discovery',
      AccountId: account.id,
      StageName: 'Closed Won',
      CloseDate: '2026-11-20',
      Amount: 20000,
      CurrencyIsoCode: 'GBP',
      Legal_Entity__c: 'UK',
      Practice__c: 'Strategy',
      Cost_Center__c: 'CC-UK-100',
      Billing_Model__c: 'time_and_materials',
    })) as { id: string };
    await settle();
    const run = await runRoutine({
      routine: 'project_activation',
      connectionId: sandbox.connections.salesforce,
      legalEntityId: 'UK',
      trigger: 'manual',
    });
    expect(run.error).toBeNull();
    const project = await sandbox.erp.get('job', deal.id);
    expect(project).not.toBeNull();
    const customer = (await sandbox.erp.get('customer', account.id))!;
    expect(customer).not.toBeNull();
    expect(String(customer.companyName)).toContain('Tax Owner Test');
    expect(customer.vatRegNumber ?? null).toBeNull();
  });
});
