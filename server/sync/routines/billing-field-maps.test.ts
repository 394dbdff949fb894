import Stripe from 'stripe';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import type { FieldMapRow } from '@/server/domain/field-maps';
import { connectorFor } from '@/server/services/connections/connections';
import { mappingGovernance, mappingOverview } from '@/server/services/mappings/field-mapping-governance';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { runRoutine } from '../run-routine';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
let stripe: Stripe;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  const url = new URL(fixture.sandbox.stripe.baseUrl);
  stripe = new Stripe(fixture.sandbox.stripe.secretKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
  });
}, 120_000);
afterAll(() => fixture?.stop());

/** Publishes these field maps for the ERP connection's scope of the entity, its value maps unchanged. */
async function publishFieldMaps(legalEntityId: string, fieldMaps: FieldMapRow[], reason: string) {
  const scope = { connectionId: fixture.connections.netsuite, legalEntityId };
  const { active, activeVersion } = await mappingOverview(scope);
  const saved = await mappingGovernance.saveDraft(scope, { mappings: active, fieldMaps }, context);
  expect(saved.saved).toBe(true);
  const published = await mappingGovernance.publishDraft(scope, reason, context);
  return { scope, before: activeVersion, version: published.version };
}

const bill = (legalEntityId: string) =>
  runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId,
    trigger: 'manual',
  });

async function timeItems(legalEntityId: string) {
  const items: Stripe.InvoiceItem[] = [];
  for await (const item of stripe.invoiceItems.list({ limit: 100 }))
    if (item.metadata?.netsuite_type === 'timebill' && item.metadata.legal_entity === legalEntityId) items.push(item);
  return items;
}

it('bills time with the description a published field map gives it: the memo, upper-cased', async () => {
  await publishFieldMaps(
    'UK',
    [
      {
        source: 'timebill',
        sourceField: 'memo',
        attribute: 'description',
        transforms: [{ name: 'trim' }, { name: 'upper' }],
      },
    ],
    'Invoice lines say what the work was',
  );
  const run = await bill('UK');
  expect(run.status).toBe('succeeded');
  const items = await timeItems('UK');
  expect(items.length).toBeGreaterThan(0);
  const erp = await connectorFor(fixture.connections.netsuite);
  const records = await erp.readCurrent(
    'timebill',
    items.map((i) => i.metadata!.netsuite_id!),
  );
  const memoOf = new Map(records.map((r) => [r.externalId, String(r.data.memo)]));
  for (const item of items) {
    const memo = memoOf.get(item.metadata!.netsuite_id!)!;
    // The project's name, the mapped description, then what the amount is made of.
    expect(item.description).toMatch(new RegExp(`^.+: ${memo.trim().toUpperCase()} \\(\\d+(\\.\\d+)? h .+ × `));
  }
  // The canonical time entry carries it too.
  const stored = await db().canonicalRecord.findFirstOrThrow({
    where: { type: 'TimeEntry', legalEntityId: 'UK' },
  });
  expect((stored.data as { description?: string }).description).toMatch(/^[A-Z ]+$/);
});

it('holds a record its field map cannot map as an exception, and bills it once the map is rolled back', async () => {
  const { scope, before } = await publishFieldMaps(
    'DE',
    [
      {
        source: 'timebill',
        sourceField: 'trandate',
        attribute: 'workDate',
        transforms: [{ name: 'date_format', from: 'DD.MM.YYYY' }],
      },
    ],
    'Dates as the German subsidiary writes them',
  );
  const held = await bill('DE');
  expect(held.status).toBe('succeeded');
  expect(await timeItems('DE')).toEqual([]);
  const exceptions = await db().syncException.findMany({
    where: { routine: 'billing_eligibility', legalEntityId: 'DE', code: 'VALIDATION_FAILED', status: 'open' },
  });
  expect(exceptions.length).toBeGreaterThan(0);
  expect(exceptions[0]!.message).toMatch(
    /^The field maps of this connection cannot map NetSuite timebill \d+: workDate: "\d{1,2}\/\d{1,2}\/\d{4}" is not a date in the form DD\.MM\.YYYY\.$/,
  );
  // Nothing dropped: every record read is delivered, a no-op or held.
  expect(held.delivered + held.noop + held.exceptions).toBe(held.recordsRead);

  const rolledBack = await mappingGovernance.republish(scope, before, 'The ERP sends its own date layout', context);
  // The exceptions the field map caused are offered for a dry run.
  expect(rolledBack.affected.codes).toEqual(['VALIDATION_FAILED']);
  expect(rolledBack.affected.exceptionIds).toEqual(expect.arrayContaining(exceptions.map((e) => e.id)));
  const billed = await bill('DE');
  expect(billed.status).toBe('succeeded');
  expect((await timeItems('DE')).length).toBeGreaterThan(0);
  const stillOpen = await db().syncException.count({
    where: { id: { in: exceptions.map((e) => e.id) }, status: 'open' },
  });
  expect(stillOpen).toBeLessThan(exceptions.length);
});
