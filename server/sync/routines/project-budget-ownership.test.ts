import Decimal from 'decimal.js';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { connectorFor } from '@/server/services/connections/connections';
import { ownershipGovernance, ownershipOverview } from '@/server/services/ownership/ownership-governance';
import { activeOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from '../run-routine';

/** The next sync obeys ownership rules published from the console: here, who owns a project's budget. */
let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let crm: Connection;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

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
}, 120_000);
afterAll(() => fixture?.stop());

/** The CRM connector reads only settled seconds (a change is visible about three seconds later). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3_500));
const changeOrders = () =>
  runRoutine({
    routine: 'change_orders',
    connectionId: fixture.connections.salesforce,
    legalEntityId: 'US',
    trigger: 'manual',
  });

describe('project budget ownership', () => {
  it('after the project budget moves from the CRM to the ERP, a CRM change order that moves it is an ownership conflict', async () => {
    const seeded = await activeOwnershipRules();
    expect(seeded.rules).toContainEqual(
      expect.objectContaining({ objectType: 'Project', attribute: 'budget', owner: 'salesforce' }),
    );
    const deal = (
      await crm.query<{ Id: string; ERP_Project_Id__c: string }>(
        "SELECT Id, ERP_Project_Id__c FROM Opportunity WHERE Legal_Entity__c = 'US' AND StageName = 'Closed Won' AND ERP_Project_Id__c != null ORDER BY CloseDate DESC LIMIT 1",
      )
    ).records[0]!;
    const erp = await connectorFor(fixture.connections.netsuite);
    // As it is now: a run may have just changed it, within a second that may still be open.
    const budget = async () =>
      new Decimal(
        String(
          (await erp.pull('job', null, 10, { id: deal.ERP_Project_Id__c }, { includeUnsettled: true })).records[0]!.data
            .custentity_sw_budget,
        ),
      );
    const approve = async (amount: number) => {
      const co = (await crm.sobject('ChangeOrder__c').create({
        Opportunity__c: deal.Id,
        Amount__c: amount,
        CurrencyIsoCode: 'USD',
        Status__c: 'Approved',
        Approved_Date__c: '2026-11-20',
        Description__c: `Extra scope ${amount}`,
      })) as { id: string };
      await settle();
      expect((await changeOrders()).error).toBeNull();
      return co.id;
    };

    // While the CRM owns the budget, an approved change order raises it.
    await changeOrders();
    const before = await budget();
    await approve(1000);
    const raised = await budget();
    expect(raised.toFixed(2)).toBe(before.plus(1000).toFixed(2));

    // The admin moves the budget to the ERP and publishes it.
    const { active } = await ownershipOverview();
    await ownershipGovernance.saveDraft(
      active.map((r) => (r.objectType === 'Project' && r.attribute === 'budget' ? { ...r, owner: 'netsuite' } : r)),
      context,
    );
    const { version } = await ownershipGovernance.publishDraft('Finance plans project budgets in the ERP', context);
    try {
      const refused = await approve(2000);
      const conflict = await db().syncException.findFirstOrThrow({
        where: { code: 'OWNERSHIP_CONFLICT', externalIds: { array_contains: [{ externalId: refused }] } },
      });
      expect(conflict).toMatchObject({ objectType: 'Project', routine: 'change_orders', status: 'open' });
      expect(conflict.message).toContain('budget (owned by netsuite)');
      const ledger = await db().ledgerEntry.findFirstOrThrow({
        where: { sourceId: refused, outcome: 'exception' },
        orderBy: { id: 'desc' },
      });
      expect(ledger).toMatchObject({ step: 'ownership', ruleVersion: version });
      // The ERP keeps its budget, and the change order is not recorded there.
      expect((await budget()).toFixed(2)).toBe(raised.toFixed(2));
      expect(await erp.get('customrecord_sw_changeorder', refused)).toBeNull();
    } finally {
      await ownershipGovernance.republish(seeded.version, 'Back to the seeded rules', context);
    }
  }, 120_000);
});
