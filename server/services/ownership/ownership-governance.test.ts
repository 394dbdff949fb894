import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { DEFAULT_OWNERSHIP_RULES } from '@/server/domain/ownership';
import { createScratchDatabase } from '@/test/scratch-database';
import {
  discardOwnershipDraft,
  ownershipHistory,
  ownershipImpact,
  ownershipOverview,
  publishOwnershipDraft,
  republishOwnershipVersion,
  saveOwnershipDraft,
  type GovernedRule,
  type RuleEntry,
} from './ownership-governance';
import { ownershipCatalogue } from './ownership-matrix';
import { activeOwnershipRules, publishOwnershipRules } from './ownership-rules';

let client: Db;
let drop: () => Promise<void>;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

/** The defaults with the project budget owned by the CRM, as the first published version. */
const budgetByCrm: GovernedRule[] = [
  ...DEFAULT_OWNERSHIP_RULES.map((r) => ({
    ...r,
    note: r.objectType === 'Project' && r.attribute === 'budget' ? 'sold with the deal' : null,
  })),
  { objectType: 'Project', attribute: 'status', owner: 'salesforce', team: 'operations', note: null },
];
const budgetByErp: RuleEntry[] = budgetByCrm.map((r) =>
  r.objectType === 'Project' && r.attribute === 'budget' ? { ...r, owner: 'netsuite', note: 'finance plans it' } : r,
);

const auditActions = async () =>
  (await client.auditEvent.findMany({ orderBy: { id: 'asc' }, select: { action: true } })).map((e) => e.action);

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
  await client.$transaction((tx) => publishOwnershipRules(tx, { rules: budgetByCrm, note: 'first rules' }, context));
}, 60_000);
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

describe('ownership governance', () => {
  it('lists every canonical object type with its attributes, write-backs included', () => {
    const project = ownershipCatalogue().find((c) => c.objectType === 'Project');
    expect(project?.attributes).toContain('budget');
    expect(project?.attributes).not.toContain('id');
    expect(ownershipCatalogue().find((c) => c.objectType === 'TimeEntry')?.attributes).toContain('billedInvoice');
  });

  it('refuses unknown object types, attributes, systems and doubled rules, saving nothing', async () => {
    const before = await auditActions();
    const attempts: [RuleEntry[], RegExp][] = [
      [
        [{ objectType: 'Widget', attribute: '*', owner: 'netsuite', team: 'operations' }],
        /Unknown object type "Widget"/,
      ],
      [
        [{ objectType: 'Project', attribute: 'colour', owner: 'netsuite', team: 'operations' }],
        /Project has no attribute "colour"/,
      ],
      [
        [{ objectType: 'Project', attribute: '*', owner: 'hubspot', team: 'operations' }],
        /"hubspot" is not a system of record/,
      ],
      [[{ objectType: 'Project', attribute: '*', owner: 'netsuite', team: 'sales' }], /"sales" is not a team/],
      [
        [
          { objectType: 'Project', attribute: '*', owner: 'netsuite', team: 'operations' },
          { objectType: 'Project', attribute: '*', owner: 'salesforce', team: 'operations' },
        ],
        /Project\.\* has two rules/,
      ],
    ];
    for (const [rules, message] of attempts) {
      await expect(client.$transaction((tx) => saveOwnershipDraft(tx, rules, context))).rejects.toThrow(message);
    }
    expect((await ownershipOverview(client)).draft).toBeNull();
    expect(await auditActions()).toEqual(before);
  });

  it('keeps an edit as a draft beside the rules in force, with its diff, and discards it', async () => {
    await client.$transaction((tx) => saveOwnershipDraft(tx, budgetByErp, context));
    const overview = await ownershipOverview(client);
    expect(overview.activeVersion).toBe(1);
    expect(overview.active.find((r) => r.attribute === 'budget')?.owner).toBe('salesforce');
    expect(overview.draft?.rules.find((r) => r.attribute === 'budget')).toMatchObject({
      owner: 'netsuite',
      note: 'finance plans it',
    });
    const { changes } = await ownershipImpact(overview.draft!.rules, client);
    expect(changes).toEqual([
      expect.objectContaining({ kind: 'changed', key: 'Project.budget', fields: ['owner', 'note'] }),
    ]);
    await client.$transaction((tx) => discardOwnershipDraft(tx, context));
    expect((await ownershipOverview(client)).draft).toBeNull();
    expect((await auditActions()).slice(-2)).toEqual(['ownership.draft_saved', 'ownership.draft_discarded']);
  });

  it('counts per routine the records carried and the open conflicts that would become deliverable', async () => {
    const project = randomUUID();
    await client.canonicalRecord.create({
      data: { id: project, type: 'Project', legalEntityId: 'US', schemaVersion: 1, contentHash: 'x', data: {} },
    });
    const now = new Date();
    await client.ledgerEntry.createMany({
      data: (['project_activation', 'billing_eligibility', 'billing_eligibility'] as const).map((routine) => ({
        routine,
        correlationId: randomUUID(),
        sourceSystem: 'salesforce',
        sourceType: 'Opportunity',
        sourceId: 'opp-1',
        canonicalId: project,
        step: 'deliver',
        outcome: 'delivered',
        startedAt: now,
        finishedAt: now,
      })),
    });
    // A project known only by the identity map, written by change orders.
    const known = randomUUID();
    await client.externalRef.create({
      data: {
        canonicalType: 'Project',
        canonicalId: known,
        system: 'netsuite',
        objectType: 'job',
        externalId: 'job-9',
      },
    });
    await client.delivery.create({
      data: {
        idempotencyKey: randomUUID(),
        routine: 'change_orders',
        targetSystem: 'netsuite',
        targetType: 'job',
        canonicalId: known,
        contentHash: 'y',
        status: 'delivered',
      },
    });
    const conflict = (message: string, status: 'open' | 'resolved' = 'open') => ({
      fingerprint: randomUUID(),
      kind: 'business' as const,
      code: 'OWNERSHIP_CONFLICT',
      routine: 'billing_eligibility' as const,
      objectType: 'Project',
      externalIds: [],
      message,
      payload: { sourceSystem: 'netsuite' },
      correlationId: randomUUID(),
      team: 'operations' as const,
      priority: 'normal' as const,
      status,
    });
    await client.syncException.createMany({
      data: [
        conflict('NetSuite changed budget (owned by salesforce).'),
        conflict('NetSuite changed budget (owned by salesforce).'),
        // Still refused after the move: the CRM keeps the status.
        conflict('NetSuite changed budget (owned by salesforce), status (owned by salesforce).'),
        conflict('NetSuite changed budget (owned by salesforce).', 'resolved'),
      ],
    });
    const impact = await ownershipImpact(budgetByErp as GovernedRule[], client);
    expect(impact.routines).toEqual([
      { routine: 'project_activation', label: 'Project activation', records: 1, conflictsResolved: 0 },
      { routine: 'billing_eligibility', label: 'Billing eligibility', records: 1, conflictsResolved: 2 },
      { routine: 'invoice_status', label: 'Invoice status', records: 0, conflictsResolved: 0 },
      { routine: 'change_orders', label: 'Change orders', records: 1, conflictsResolved: 0 },
    ]);
  });

  it('publishes the draft with its reason as an immutable new version, and rolls back by publishing again', async () => {
    await client.$transaction((tx) => saveOwnershipDraft(tx, budgetByErp, context));
    await expect(client.$transaction((tx) => publishOwnershipDraft(tx, '  ', context))).rejects.toThrow(/Say why/);
    expect((await activeOwnershipRules(client)).version).toBe(1);

    await client.$transaction((tx) => publishOwnershipDraft(tx, 'Finance plans project budgets', context));
    const active = await activeOwnershipRules(client);
    expect(active.version).toBe(2);
    expect(active.rules.find((r) => r.objectType === 'Project' && r.attribute === 'budget')?.owner).toBe('netsuite');
    expect((await ownershipOverview(client)).draft).toBeNull();

    await client.$transaction((tx) =>
      republishOwnershipVersion(tx, 1, 'Back to the CRM until finance is ready', context),
    );
    const history = await ownershipHistory(client);
    expect(history.map((h) => [h.version, h.reason])).toEqual([
      [3, 'Back to the CRM until finance is ready'],
      [2, 'Finance plans project budgets'],
      [1, 'first rules'],
    ]);
    expect(history[1]!.changes).toEqual([
      expect.objectContaining({ kind: 'changed', key: 'Project.budget', fields: ['owner', 'note'] }),
    ]);
    expect(history[0]!.changes[0]).toMatchObject({ key: 'Project.budget', after: { owner: 'salesforce' } });
    // Version 2 is as it was published.
    expect((await ownershipOverview(client)).active.find((r) => r.attribute === 'budget')?.owner).toBe('salesforce');
    expect(
      (await client.ownershipRule.findFirst({ where: { version: 2, objectType: 'Project', attribute: 'budget' } }))
        ?.owner,
    ).toBe('netsuite');
    expect((await auditActions()).slice(-4)).toEqual([
      'ownership.draft_saved',
      'ownership.published',
      'ownership.published',
      'ownership.rolled_back',
    ]);
    await expect(
      client.$transaction((tx) => republishOwnershipVersion(tx, 99, 'no such version here', context)),
    ).rejects.toThrow(/no ownership rule version 99/);

    // A draft of older rules is not published over what was published since.
    await client.$transaction((tx) => saveOwnershipDraft(tx, budgetByErp, context));
    await client.$transaction((tx) => republishOwnershipVersion(tx, 2, 'Finance after all', context));
    await expect(
      client.$transaction((tx) => publishOwnershipDraft(tx, 'Publishing a stale draft', context)),
    ).rejects.toThrow(/started from version 3, but version 4 has been published since/);
    expect((await activeOwnershipRules(client)).version).toBe(4);
  });
});
