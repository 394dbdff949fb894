import Decimal from 'decimal.js';
import { Connection } from 'jsforce';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { connectorFor } from '@/server/services/connections/connections';
import { replayExceptions } from '@/server/services/exceptions/replay-exceptions';
import type { ValueMapRow } from '@/server/domain/value-maps';
import { activeValueMaps, mappingGovernance } from '@/server/services/mappings/field-mapping-governance';
import { runRoutine } from '../run-routine';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let crm: Connection;
let stripe: Stripe;

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  const sf = fixture.sandbox.salesforce;
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
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}, 120_000);
afterAll(() => fixture?.stop());

const context = { actor: { id: null, email: 'operations@syncwright.example' }, requestId: null, ip: null };

/** The CRM connector reads only settled seconds (a change is visible about three seconds later). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3_500));

const run = (
  routine: 'project_activation' | 'invoice_status' | 'change_orders',
  legalEntityId: string,
  connection: 'salesforce' | 'stripe',
) => runRoutine({ routine, connectionId: fixture.connections[connection], legalEntityId, trigger: 'manual' });

describe('project activation', () => {
  it('turns a deal closed-won in the CRM into an ERP project, linked in the identity map, and marks the deal activated', async () => {
    const account = (
      await crm.query<{ Id: string; Name: string }>(
        "SELECT Id, Name FROM Account WHERE Legal_Entity__c = 'US' AND Tax_Registration__c != null ORDER BY Name LIMIT 1",
      )
    ).records[0]!;
    const created = (await crm.sobject('Opportunity').create({
      Name: `${account.Name} - Data Platform`,
      AccountId: account.Id,
      StageName: 'Closed Won',
      CloseDate: '2026-11-19',
      Amount: 180000,
      CurrencyIsoCode: 'USD',
      Legal_Entity__c: 'US',
      Practice__c: 'Data & AI',
      Cost_Center__c: 'CC-US-200',
      Billing_Model__c: 'time_and_materials',
    })) as { id: string; success: boolean };
    expect(created.success).toBe(true);
    await settle();

    const summary = await run('project_activation', 'US', 'salesforce');
    expect(summary.error).toBeNull();
    expect(summary.delivered + summary.noop + summary.exceptions).toBe(summary.recordsRead);

    const opportunity = (await crm.sobject('Opportunity').retrieve(created.id)) as {
      Project_Status__c: string;
      ERP_Project_Id__c: string;
    };
    expect(opportunity.Project_Status__c).toBe('Active');
    const erp = await connectorFor(fixture.connections.netsuite);
    const project = await erp.get('job', created.id);
    expect(project).not.toBeNull();
    expect(String(project!.id)).toBe(opportunity.ERP_Project_Id__c);
    expect(project!.custentity_sw_practice).toBe('Data & AI');

    const refs = await db().externalRef.findMany({ where: { externalId: { in: [created.id, String(project!.id)] } } });
    expect(new Set(refs.map((r) => `${r.system}:${r.objectType}`))).toEqual(
      new Set(['salesforce:Opportunity', 'netsuite:job']),
    );

    // The deal's change orders are requested in the same transaction as the activation.
    const jobs = await db().$queryRawUnsafe<{ key: string }[]>(`SELECT key FROM graphile_worker.jobs`);
    expect(jobs.map((j) => j.key)).toContain(`routine:change_orders:${fixture.connections.salesforce}:US`);

    // A second run changes nothing.
    const again = await run('project_activation', 'US', 'salesforce');
    expect(again.delivered).toBe(0);
  });

  it('refuses a change from a system that does not own the attribute, routed to the owner’s team', async () => {
    const { activeOwnershipRules, publishOwnershipRules } = await import('@/server/services/ownership/ownership-rules');
    const current = await activeOwnershipRules();
    const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };
    // From this version on, the ERP owns a deal's amount (e.g. budgets are set in the ERP).
    const stricter = await db().$transaction((tx) =>
      publishOwnershipRules(
        tx,
        {
          rules: [
            ...current.rules,
            { objectType: 'Engagement', attribute: 'amount', owner: 'netsuite', team: 'finance' },
          ],
          note: 'ERP owns the deal amount',
        },
        context,
      ),
    );
    try {
      const account = (
        await crm.query<{ Id: string; Name: string }>(
          "SELECT Id, Name FROM Account WHERE Legal_Entity__c = 'US' AND Tax_Registration__c != null ORDER BY Name DESC LIMIT 1",
        )
      ).records[0]!;
      const deal = (await crm.sobject('Opportunity').create({
        Name: `${account.Name} - Ownership check`,
        AccountId: account.Id,
        StageName: 'Closed Won',
        CloseDate: '2026-11-20',
        Amount: 5000,
        CurrencyIsoCode: 'USD',
        Legal_Entity__c: 'US',
        Practice__c: 'Strategy',
        Cost_Center__c: 'CC-US-100',
        Billing_Model__c: 'fixed_fee',
      })) as { id: string };
      await settle();
      await run('project_activation', 'US', 'salesforce');
      const conflict = await db().syncException.findFirstOrThrow({
        where: { code: 'OWNERSHIP_CONFLICT', externalIds: { array_contains: [{ externalId: deal.id }] } },
      });
      expect(conflict).toMatchObject({ team: 'finance', kind: 'business' });
      expect(conflict.message).toContain('amount (owned by netsuite)');
      const ledger = await db().ledgerEntry.findFirstOrThrow({
        where: { sourceId: deal.id, outcome: 'exception' },
        orderBy: { id: 'desc' },
      });
      expect(ledger).toMatchObject({ step: 'ownership', ruleVersion: stricter.version });
      expect(await (await connectorFor(fixture.connections.netsuite)).get('job', deal.id)).toBeNull();
    } finally {
      await db().$transaction((tx) =>
        publishOwnershipRules(tx, { rules: current.rules, note: 'back to the defaults' }, context),
      );
    }
  });

  it('holds the planted deal problems as exceptions routed to operations', async () => {
    for (const entity of ['UK', 'DE']) await run('project_activation', entity, 'salesforce');
    const exceptions = await db().syncException.findMany({ where: { routine: 'project_activation' } });
    const codes = new Set(exceptions.map((e) => e.code));
    expect(codes).toContain('CURRENCY_MISMATCH');
    expect(codes).toContain('DUPLICATE_ACCOUNT');
    expect(codes).toContain('TAX_CODE_MISSING');
    const planted = ['CURRENCY_MISMATCH', 'DUPLICATE_ACCOUNT', 'TAX_CODE_MISSING'];
    for (const e of exceptions.filter((x) => planted.includes(x.code)))
      expect(e).toMatchObject({ team: 'operations', priority: 'high' });
  });
});

describe('CRM reference data', () => {
  it('learns of an account deleted in the CRM: a duplicate merged away releases its deal on replay', async () => {
    // The planted duplicate was held by the test above.
    const held = await db().syncException.findFirstOrThrow({
      where: { routine: 'project_activation', code: 'DUPLICATE_ACCOUNT', status: 'open' },
    });
    const dealAccount = (held.externalIds as { objectType: string; externalId: string }[]).find(
      (r) => r.objectType === 'Account',
    )!.externalId;
    const { Name, Legal_Entity__c } = (await crm.sobject('Account').retrieve(dealAccount)) as {
      Name: string;
      Legal_Entity__c: string;
    };
    const namesakes = (
      await crm.query<{ Id: string }>(
        `SELECT Id FROM Account WHERE Name = '${Name.replace(/'/g, "\\'")}' AND Legal_Entity__c = '${Legal_Entity__c}'`,
      )
    ).records.filter((a) => a.Id !== dealAccount);
    expect(namesakes).toHaveLength(1);
    // The CRM's accounts are kept in our database and brought up to date at each run's start.
    expect(await db().referenceRecord.count({ where: { objectType: 'Account', externalId: namesakes[0]!.Id } })).toBe(
      1,
    );
    await crm.sobject('Account').destroy(namesakes[0]!.Id);
    await settle();

    const [replayed] = await replayExceptions({ exceptionIds: [held.id] }, context);
    expect(replayed!.reason ?? '').not.toContain('exists 2 times');
    expect(await db().referenceRecord.count({ where: { objectType: 'Account', externalId: namesakes[0]!.Id } })).toBe(
      0,
    );
    expect(
      await db().syncException.count({
        where: {
          code: 'DUPLICATE_ACCOUNT',
          status: 'open',
          externalIds: { array_contains: [{ externalId: dealAccount }] },
        },
      }),
    ).toBe(0);
  });
});

describe('practice and cost center maps', () => {
  it('writes the CRM practice and cost center onto the ERP project as mapped, and holds a deal whose practice or cost center has no mapping', async () => {
    const scope = { connectionId: fixture.connections.salesforce, legalEntityId: 'DE' };
    const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };
    const publish = async (rows: ValueMapRow[]) => {
      const { mappings, fieldMaps } = await activeValueMaps(scope);
      await mappingGovernance.saveDraft(scope, { mappings: [...mappings, ...rows], fieldMaps }, context);
      return mappingGovernance.publishDraft(scope, 'The ERP names practices and cost centers its own way', context);
    };
    await publish([
      { kind: 'practice', sourceValue: 'Data & AI', targetValue: 'Data and Analytics' },
      { kind: 'cost_center', sourceValue: 'DE-DAI-200', targetValue: 'DEP-4200' },
    ]);

    const accounts = (
      await crm.query<{ Id: string; Name: string }>(
        "SELECT Id, Name FROM Account WHERE Legal_Entity__c = 'DE' AND Tax_Registration__c != null ORDER BY Name",
      )
    ).records;
    const account = accounts.find((a) => accounts.filter((b) => b.Name === a.Name).length === 1)!;
    const deal = async (name: string, practice: string, costCenter = 'DE-DAI-200') =>
      (
        (await crm.sobject('Opportunity').create({
          Name: `${account.Name} - ${name}`,
          AccountId: account.Id,
          StageName: 'Closed Won',
          CloseDate: '2026-11-19',
          Amount: 90000,
          CurrencyIsoCode: 'EUR',
          Legal_Entity__c: 'DE',
          Practice__c: practice,
          Cost_Center__c: costCenter,
          Billing_Model__c: 'time_and_materials',
        })) as { id: string }
      ).id;
    const mapped = await deal('Analytics Platform', 'Data & AI');
    const unmapped = await deal('Cloud Landing Zone', 'Cloud');
    const unmappedCostCenter = await deal('Data Governance', 'Data & AI', 'DE-DAI-999');
    await settle();
    const summary = await run('project_activation', 'DE', 'salesforce');
    expect(summary.error).toBeNull();

    const erp = await connectorFor(fixture.connections.netsuite);
    const project = await erp.get('job', mapped);
    expect(project).toMatchObject({
      custentity_sw_practice: 'Data and Analytics',
      custentity_sw_cost_center: 'DEP-4200',
    });
    expect(await erp.get('job', unmapped)).toBeNull();
    const held = await db().syncException.findFirstOrThrow({
      where: { routine: 'project_activation', externalIds: { array_contains: [{ externalId: unmapped }] } },
    });
    expect(held).toMatchObject({ code: 'PRACTICE_UNMAPPED', team: 'operations', status: 'open' });
    expect(held.message).toContain('Cloud');
    expect(await erp.get('job', unmappedCostCenter)).toBeNull();
    expect(
      await db().syncException.findFirstOrThrow({
        where: { routine: 'project_activation', externalIds: { array_contains: [{ externalId: unmappedCostCenter }] } },
      }),
    ).toMatchObject({ code: 'COST_CENTER_UNMAPPED', message: expect.stringContaining('DE-DAI-999') });

    // Mapping the practice offers the held deal to the dry run of the exceptions it may fix.
    const published = await publish([{ kind: 'practice', sourceValue: 'Cloud', targetValue: 'Cloud Services' }]);
    expect(published.affected.codes).toEqual(['PRACTICE_UNMAPPED']);
    expect(published.affected.exceptionIds).toContain(held.id);
  });
});

describe('invoice status', () => {
  it('writes an invoice paid in billing back to the ERP and to the deal in the CRM', async () => {
    const open = (await stripe.invoices.list({ status: 'open', limit: 100 })).data.find(
      (i) => i.metadata?.legal_entity === 'US' && i.metadata?.netsuite_project_id,
    )!;
    expect(open).toBeDefined();
    // Catch up on what happened before, then pay one invoice and sync again.
    await run('invoice_status', 'US', 'stripe');
    await stripe.invoices.pay(open.id);
    const summary = await run('invoice_status', 'US', 'stripe');
    expect(summary.error).toBeNull();
    expect(summary.delivered).toBeGreaterThanOrEqual(1);

    const erp = await connectorFor(fixture.connections.netsuite);
    const erpInvoice = (await erp.get('invoice', open.id))!;
    expect(erpInvoice.custbody_sw_billing_status).toBe('paid');
    expect((erpInvoice.status as { id: string }).id).toBe('B');
    const job = (
      await erp.pull('job', null, 1000, { id: open.metadata!.netsuite_project_id! }, { includeUnsettled: true })
    ).records[0]!;
    const opportunity = (await crm.sobject('Opportunity').retrieve(String(job.data.custentity_sw_opportunity_id))) as {
      Last_Invoice_Status__c: string;
    };
    expect(opportunity.Last_Invoice_Status__c).toBe('paid');
  });
});

describe('billing rejections', () => {
  it('holds an invoice billing refused to finalize as a finance exception with the target’s code', async () => {
    let rejected: Stripe.Invoice | null = null;
    for await (const draft of stripe.invoices.list({ status: 'draft', limit: 100 })) {
      try {
        await stripe.invoices.finalizeInvoice(draft.id);
      } catch (error) {
        if ((error as { code?: string }).code === 'customer_tax_location_invalid') {
          rejected = draft;
          break;
        }
      }
    }
    expect(rejected).not.toBeNull();
    const entity = rejected!.metadata!.legal_entity!;
    await run('invoice_status', entity, 'stripe');
    const exception = await db().syncException.findFirstOrThrow({
      where: {
        routine: 'invoice_status',
        code: 'TARGET_REJECTED',
        externalIds: { array_contains: [{ externalId: rejected!.id }] },
      },
    });
    expect(exception).toMatchObject({ team: 'finance', targetCode: 'customer_tax_location_invalid', status: 'open' });
  });
});

describe('change orders', () => {
  it('records an approved change order on the ERP project and raises its budget', async () => {
    const deal = (
      await crm.query<{ Id: string; Amount: number; ERP_Project_Id__c: string }>(
        "SELECT Id, Amount, ERP_Project_Id__c FROM Opportunity WHERE Legal_Entity__c = 'US' AND StageName = 'Closed Won' AND ERP_Project_Id__c != null ORDER BY CloseDate DESC LIMIT 1",
      )
    ).records[0]!;
    const co = (await crm.sobject('ChangeOrder__c').create({
      Opportunity__c: deal.Id,
      Amount__c: 12500.5,
      CurrencyIsoCode: 'USD',
      Status__c: 'Approved',
      Approved_Date__c: '2026-11-20',
      Description__c: 'Extra data migration wave',
    })) as { id: string };
    await settle();
    const summary = await run('change_orders', 'US', 'salesforce');
    expect(summary.error).toBeNull();
    const erp = await connectorFor(fixture.connections.netsuite);
    const recorded = await erp.get('customrecord_sw_changeorder', co.id);
    expect(recorded).not.toBeNull();
    expect(String(recorded!.custrecord_sw_co_amount)).toBe('12500.5');
    // As it is now: the run has just changed it, within a second that may still be open.
    const project = (await erp.pull('job', null, 1000, { id: deal.ERP_Project_Id__c }, { includeUnsettled: true }))
      .records[0]!;
    expect(Number(project.data.custentity_sw_budget)).toBeGreaterThanOrEqual(deal.Amount + 12500.5);
    const budget = new Decimal(String(project.data.custentity_sw_budget));

    // A change order deleted in the CRM no longer counts towards the budget: the next change
    // order of the deal sets it without the deleted one.
    await crm.sobject('ChangeOrder__c').destroy(co.id);
    await crm.sobject('ChangeOrder__c').create({
      Opportunity__c: deal.Id,
      Amount__c: 100,
      CurrencyIsoCode: 'USD',
      Status__c: 'Approved',
      Approved_Date__c: '2026-11-21',
      Description__c: 'One more workshop',
    });
    await settle();
    expect((await run('change_orders', 'US', 'salesforce')).error).toBeNull();
    const after = (await erp.pull('job', null, 1000, { id: deal.ERP_Project_Id__c }, { includeUnsettled: true }))
      .records[0]!;
    expect(new Decimal(String(after.data.custentity_sw_budget)).toFixed(2)).toBe(
      budget.minus('12500.5').plus(100).toFixed(2),
    );
  });
});
