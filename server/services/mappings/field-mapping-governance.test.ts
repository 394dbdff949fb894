import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AFFECTED_DRY_RUN_PAGE, dryRunInPages } from '@/lib/affected-dry-run';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import type { FieldMapRow } from '@/server/domain/field-maps';
import { FieldMappings } from '@/server/sync/field-mappings';
import { runRoutine } from '@/server/sync/run-routine';
import { startConnectedSandbox } from '@/test/sandbox-fixture';
import { dryRunAffectedExceptions } from './affected-exceptions';
import { mappingGovernance, mappingHistory, mappingOverview } from './field-mapping-governance';
import { previewRecord, previewSamples } from './mapping-preview';

let fixture: Awaited<ReturnType<typeof startConnectedSandbox>>;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };
let scope: { connectionId: string; legalEntityId: string };

beforeAll(async () => {
  fixture = await startConnectedSandbox();
  scope = { connectionId: fixture.connections.stripe, legalEntityId: 'UK' };
  await runRoutine({
    routine: 'billing_eligibility',
    connectionId: fixture.connections.netsuite,
    legalEntityId: 'UK',
    trigger: 'manual',
  });
}, 120_000);
afterAll(() => fixture?.stop());

type HeldTimeBill = { record: { externalId: string } };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('field mapping governance', () => {
  it('refuses mappings that do not type-check, naming each problem, and saves nothing', async () => {
    const { active } = await mappingOverview(scope);
    const result = await mappingGovernance.saveDraft(
      scope,
      {
        mappings: [
          ...active,
          { kind: 'vat_rate', sourceValue: 'x', targetValue: '19' },
          { kind: 'tax_code', sourceValue: 'customer:1', targetValue: '19%' },
        ],
        fieldMaps: [],
      },
      context,
    );
    expect(result).toEqual({
      saved: false,
      fieldMapProblems: [],
      problems: [
        expect.objectContaining({
          index: active.length,
          field: 'kind',
          message: expect.stringContaining('"vat_rate"'),
        }),
        expect.objectContaining({ index: active.length + 1, field: 'targetValue' }),
      ],
    });
    expect(await db().fieldMappingDraft.count()).toBe(0);
    expect(await db().auditEvent.count({ where: { targetType: 'FieldMappings' } })).toBe(0);
  });

  it('previews a held record through the connector, publishes the fix and dry-runs the exceptions it caused', async () => {
    const exception = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', legalEntityId: 'UK', status: 'open' },
      orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
    });
    const timeBill = (exception.payload as HeldTimeBill).record.externalId;
    const samples = await previewSamples(scope);
    expect(samples).toContainEqual(
      expect.objectContaining({ externalId: timeBill, heldBy: { id: exception.id, code: 'TAX_CODE_MISSING' } }),
    );

    const { active, activeVersion } = await mappingOverview(scope);
    expect(activeVersion).toBe(1);
    const before = await previewRecord(scope, { mappings: active, fieldMaps: [] }, timeBill);
    expect(before.canonical).toMatchObject({ legalEntityId: 'UK', currency: 'GBP', taxCode: null });
    expect(before.problems.map((p) => p.attribute)).toEqual(['taxCode']);

    const customer = (before.canonical.customer as { erpId: string }).erpId;
    const fixed = [...active, { kind: 'tax_code', sourceValue: ` customer:${customer}`, targetValue: 'txcd_20030000' }];
    const after = await previewRecord(scope, { mappings: fixed, fieldMaps: [] }, timeBill);
    expect(after.canonical).toMatchObject({ taxCode: 'txcd_20030000' });
    expect(after.problems).toEqual([]);

    expect(await mappingGovernance.saveDraft(scope, { mappings: fixed, fieldMaps: [] }, context)).toEqual({
      saved: true,
      changes: 1,
    });
    // The engine goes on with version 1 until the draft is published.
    expect(
      (await FieldMappings.load(scope.connectionId, 'UK')).get('tax_code', `customer:${customer}`),
    ).toBeUndefined();

    expect((await refusal(mappingGovernance.publishDraft(scope, '  ok ', context))).code).toBe('BAD_REQUEST');
    const published = await mappingGovernance.publishDraft(
      scope,
      'Tax code for a customer without VAT number',
      context,
    );
    expect(published.version).toBe(2);
    expect(published.affected.codes).toEqual(['TAX_CODE_MISSING']);
    expect(published.affected.exceptionIds).toContain(exception.id);
    expect((await FieldMappings.load(scope.connectionId, 'UK')).get('tax_code', `customer:${customer}`)).toBe(
      'txcd_20030000',
    );
    expect(await db().fieldMappingDraft.count()).toBe(0);

    const plan = await dryRunAffectedExceptions([exception.id]);
    expect(plan.outcomes).toEqual([{ exceptionId: exception.id, outcome: 'delivered', reason: null }]);
    expect(plan.summary).toContainEqual({ system: 'stripe', objectType: 'invoiceitem', action: 'create', count: 1 });
    expect((await db().syncException.findUniqueOrThrow({ where: { id: exception.id } })).status).toBe('open');

    const history = await mappingHistory(scope);
    expect(history.map((v) => [v.version, v.reason])).toEqual([
      [2, 'Tax code for a customer without VAT number'],
      [1, 'The mappings the sandbox was connected with'],
    ]);
    expect(history[0]!.changes).toEqual([
      {
        kind: 'added',
        key: `tax_code|customer:${customer}`,
        after: { kind: 'tax_code', sourceValue: `customer:${customer}`, targetValue: 'txcd_20030000' },
      },
    ]);

    // Rolling back publishes version 1's mappings again as version 3.
    const rolledBack = await mappingGovernance.republish(
      scope,
      1,
      'Undo: the customer has its VAT number again',
      context,
    );
    expect(rolledBack.version).toBe(3);
    expect(
      (await FieldMappings.load(scope.connectionId, 'UK')).get('tax_code', `customer:${customer}`),
    ).toBeUndefined();
    const actions = await db().auditEvent.findMany({
      where: { targetType: 'FieldMappings' },
      orderBy: { id: 'asc' },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(['mapping.draft_saved', 'mapping.published', 'mapping.rolled_back']);
  });

  it('refuses a draft started from a version published over since', async () => {
    const { active } = await mappingOverview(scope);
    await mappingGovernance.saveDraft(scope, { mappings: active, fieldMaps: [] }, context);
    await mappingGovernance.republish(scope, 2, 'Put the customer tax code back', context);
    const err = await refusal(mappingGovernance.publishDraft(scope, 'Stale draft published late', context));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('started from version 3');
  });

  it('offers every open exception a publish may fix to the dry run, however many, and dry-runs them a page at a time', async () => {
    const held = await db().syncException.findFirstOrThrow({
      where: { routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', legalEntityId: 'UK', status: 'open' },
    });
    const { id: _id, searchText: _text, subjectExternalId: _subject, ...copy } = held;
    await db().syncException.createMany({
      data: Array.from({ length: 240 }, (_, i) => ({
        ...copy,
        fingerprint: `${held.fingerprint}:${i}`,
        externalIds: copy.externalIds as object,
        payload: copy.payload as object,
      })),
    });
    const open = await db().syncException.count({
      where: { routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', legalEntityId: 'UK', status: 'open' },
    });
    expect(open).toBeGreaterThan(240);

    const { active } = await mappingOverview(scope);
    await mappingGovernance.saveDraft(
      scope,
      {
        mappings: [...active, { kind: 'tax_code', sourceValue: 'customer:999999', targetValue: 'txcd_10000000' }],
        fieldMaps: [],
      },
      context,
    );
    const published = await mappingGovernance.publishDraft(scope, 'A tax code for a new customer', context);
    expect(published.affected.exceptionIds).toHaveLength(open);

    const progress: number[] = [];
    const plan = await dryRunInPages(published.affected.exceptionIds, dryRunAffectedExceptions, (done) =>
      progress.push(done),
    );
    expect(progress).toHaveLength(Math.ceil(open / AFFECTED_DRY_RUN_PAGE));
    expect(progress.at(-1)).toBe(open);
    expect(new Set(plan.outcomes.map((o) => o.exceptionId))).toEqual(new Set(published.affected.exceptionIds));
  });

  it('names a connection that does not serve the entity', async () => {
    const err = await refusal(mappingOverview({ connectionId: scope.connectionId, legalEntityId: 'FR' }));
    expect(err.message).toContain('does not serve legal entity FR');
  });
});

it('opens on the first connection and entity when none is chosen', async () => {
  const overview = await mappingOverview(null);
  expect(overview.scopes.length).toBeGreaterThan(1);
  expect(overview.active.length).toBeGreaterThan(0);
});

describe('field maps', () => {
  // The ERP connection's scope: field maps apply to the records it reads.
  let erpScope: { connectionId: string; legalEntityId: string };
  beforeAll(() => {
    erpScope = { connectionId: fixture.connections.netsuite, legalEntityId: 'US' };
  });
  const describeFromMemo: FieldMapRow = {
    source: 'timebill',
    sourceField: 'memo',
    attribute: 'description',
    transforms: [{ name: 'trim' }, { name: 'upper' }],
  };

  it('refuses field maps that do not fit, naming each row and problem, and saves nothing', async () => {
    const { active, sources } = await mappingOverview(erpScope);
    expect(sources).toEqual([
      expect.objectContaining({ value: 'timebill', fields: expect.arrayContaining(['memo', 'trandate']) }),
    ]);
    const drafts = await db().fieldMappingDraft.count();
    const audits = await db().auditEvent.count();
    const result = await mappingGovernance.saveDraft(
      erpScope,
      {
        mappings: active,
        fieldMaps: [
          describeFromMemo,
          { source: 'timebill', sourceField: 'shoesize', attribute: 'role', transforms: [] },
          { source: 'timebill', sourceField: 'memo', attribute: 'colour', transforms: [] },
          { source: 'timebill', sourceField: 'memo', attribute: 'externalRefs', transforms: [] },
          {
            source: 'timebill',
            sourceField: 'trandate',
            attribute: 'hours',
            transforms: [{ name: 'date_format', from: 'DD.MM.YYYY' }],
          },
          {
            source: 'timebill',
            sourceField: 'employee',
            attribute: 'consultant',
            transforms: [{ name: 'lookup', kind: 'employee' }],
          },
          { source: 'opportunity', sourceField: 'Name', attribute: 'name', transforms: [] },
        ],
      },
      context,
    );
    expect(result.saved).toBe(false);
    const problems = result.saved ? [] : result.fieldMapProblems;
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, 'sourceField'],
      [2, 'attribute'],
      [3, 'attribute'],
      [4, 'transforms'],
      [5, 'transforms'],
      [6, 'source'],
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'Field map 2: a NetSuite time bill has no field "shoesize".',
      'Field map 3: TimeEntry has no attribute "colour" a mapping may set.',
      'Field map 4: TimeEntry has no attribute "externalRefs" a mapping may set.',
      'Field map 5: what its transforms produce does not fit TimeEntry.hours.',
      expect.stringMatching(/^Field map 6: a lookup reads a kind of value map; "employee" is none of/),
      'Field map 7: "opportunity" is not a source record field maps apply to here; use timebill.',
    ]);
    expect(await db().fieldMappingDraft.count()).toBe(drafts);
    expect(await db().auditEvent.count()).toBe(audits);
  });

  it('previews the draft field maps over the built-in mapping, with a failing one beside its attribute', async () => {
    const { active } = await mappingOverview(erpScope);
    const [sample] = await previewSamples(erpScope);
    const preview = await previewRecord(
      erpScope,
      {
        mappings: active,
        fieldMaps: [
          describeFromMemo,
          {
            source: 'timebill',
            sourceField: 'trandate',
            attribute: 'workDate',
            transforms: [{ name: 'date_format', from: 'DD.MM.YYYY' }],
          },
        ],
      },
      sample!.externalId,
    );
    const memo = String(preview.source.data.memo);
    expect(preview.canonical.description).toBe(memo.trim().toUpperCase());
    expect(preview.problems).toEqual([
      {
        attribute: 'workDate',
        message: `workDate: "${String(preview.source.data.trandate)}" is not a date in the form DD.MM.YYYY`,
      },
    ]);
    expect(preview.fieldMapProblems).toEqual([]);
  });

  it('publishes field maps with the value maps, shows them in the history, and rolls them back', async () => {
    const { active, activeVersion } = await mappingOverview(erpScope);
    await mappingGovernance.saveDraft(erpScope, { mappings: active, fieldMaps: [describeFromMemo] }, context);
    expect((await mappingOverview(erpScope)).draftFieldMapChanges).toEqual([
      { kind: 'added', key: 'timebill|description', after: describeFromMemo },
    ]);
    const published = await mappingGovernance.publishDraft(erpScope, 'Invoice lines say what the work was', context);
    const loaded = await FieldMappings.load(erpScope.connectionId, 'US');
    expect(loaded.mapFields('timebill', { memo: ' Client workshop ' }).attributes).toEqual({
      description: 'CLIENT WORKSHOP',
    });
    expect((await mappingOverview(erpScope)).activeFieldMaps).toEqual([describeFromMemo]);
    const [newest] = await mappingHistory(erpScope);
    expect(newest).toMatchObject({ version: published.version, changes: [] });
    expect(newest!.fieldMapChanges).toEqual([{ kind: 'added', key: 'timebill|description', after: describeFromMemo }]);

    await mappingGovernance.republish(erpScope, activeVersion, 'Back to the built-in descriptions', context);
    expect(
      (await FieldMappings.load(erpScope.connectionId, 'US')).mapFields('timebill', { memo: 'x' }).attributes,
    ).toEqual({});
    expect((await mappingHistory(erpScope))[0]!.fieldMapChanges).toEqual([
      { kind: 'removed', key: 'timebill|description', before: describeFromMemo },
    ]);
  });
});
