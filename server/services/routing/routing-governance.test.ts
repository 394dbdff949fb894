import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Db } from '@/server/db/client';
import { DEFAULT_ROUTING_RULES } from '@/server/domain/routing';
import { raiseException, routingRules, type RaiseExceptionInput } from '@/server/services/exceptions/raise-exception';
import { createScratchDatabase } from '@/test/scratch-database';
import {
  discardRoutingDraft,
  publishRoutingDraft,
  republishRoutingVersion,
  routingHistory,
  routingOverview,
  routingPreview,
  saveRoutingDraft,
  type RoutingRuleEntry,
} from './routing-governance';
import { activeRoutingRules, publishRoutingRules } from './routing-rules';

let client: Db;
let drop: () => Promise<void>;
const context = { actor: { id: null, email: 'admin@syncwright.example' }, requestId: null, ip: null };

const defaults = DEFAULT_ROUTING_RULES.map((r) => ({
  maxAmount: null,
  amountCurrency: null,
  ...r,
  enabled: true,
}));
/** Missing UK tax codes go to finance, urgently, ahead of every other rule. */
const ukTaxFirst: (typeof defaults)[number][] = [
  {
    routine: null,
    code: 'TAX_CODE_MISSING',
    legalEntityId: 'UK',
    minAmount: null,
    maxAmount: null,
    amountCurrency: null,
    team: 'finance',
    priority: 'urgent',
    dueHours: 4,
    enabled: true,
  },
  ...defaults,
];

const auditActions = async () =>
  (await client.auditEvent.findMany({ orderBy: { id: 'asc' }, select: { action: true } })).map((e) => e.action);

function taxCodeMissing(): RaiseExceptionInput {
  return {
    code: 'TAX_CODE_MISSING',
    routine: 'billing_eligibility',
    legalEntityId: 'UK',
    objectType: 'TimeEntry',
    externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: randomUUID() }],
    message: 'Customer Acme Ltd has no tax code for UK',
    payload: {},
    correlationId: randomUUID(),
    amount: '1250.00',
    currency: 'GBP',
  };
}

const raise = async () => {
  const { id } = await client.$transaction(async (tx) => raiseException(tx, taxCodeMissing(), await routingRules(tx)));
  return client.syncException.findUniqueOrThrow({ where: { id } });
};

beforeAll(async () => {
  const database = await createScratchDatabase({ migrated: true });
  client = createPrismaClient(database.url);
  drop = database.drop;
  await client.legalEntity.createMany({
    data: [
      { id: 'UK', name: 'Demo Ltd', country: 'GB', currency: 'GBP', taxRegime: 'UK VAT' },
      { id: 'US', name: 'Demo Inc', country: 'US', currency: 'USD', taxRegime: 'US' },
    ],
  });
  await client.$transaction((tx) => publishRoutingRules(tx, { rules: defaults, note: 'defaults' }, context));
}, 60_000);
afterAll(async () => {
  await client.$disconnect();
  await drop();
});

describe('routing rule governance', () => {
  it('refuses an invalid draft with every problem, by rule and field, saving nothing', async () => {
    const before = await auditActions();
    const bad: RoutingRuleEntry[] = [
      ...defaults.slice(0, 2),
      { ...ukTaxFirst[0]!, code: 'NO_SUCH_CODE', minAmount: '500', maxAmount: '100', dueHours: 0 },
    ];
    const result = await client.$transaction((tx) => saveRoutingDraft(tx, bad, context));
    expect(result).toEqual({
      saved: false,
      problems: [
        { index: 2, field: 'code', message: 'Rule 3: unknown exception code "NO_SUCH_CODE".' },
        { index: 2, field: 'minAmount', message: 'Rule 3: the minimum amount 500 is above the maximum 100.' },
        { index: 2, field: 'amountCurrency', message: 'Rule 3: an amount range needs its currency.' },
        { index: 2, field: 'dueHours', message: 'Rule 3: due-in hours must be a whole number above zero.' },
      ],
    });
    expect((await routingOverview(client)).draft).toBeNull();
    expect(await auditActions()).toEqual(before);
  });

  it('keeps a range set before ranges carried a currency as it is, and asks for one once it is edited', async () => {
    const legacy = defaults.findIndex((r) => r.minAmount === '10000');
    expect(defaults[legacy]!.amountCurrency).toBeNull();
    const edited = defaults.map((r, i) => (i === legacy ? { ...r, minAmount: '20000' } : r));
    expect(await client.$transaction((tx) => saveRoutingDraft(tx, edited, context))).toEqual({
      saved: false,
      problems: [
        {
          index: legacy,
          field: 'amountCurrency',
          message: `Rule ${legacy + 1}: an amount range needs its currency.`,
        },
      ],
    });
    expect((await routingOverview(client)).draft).toBeNull();
  });

  it('keeps a draft beside the rules in force with its diff and preview, and discards it', async () => {
    const open = await raise();
    expect(open).toMatchObject({ team: 'finance', priority: 'high' });
    expect(await client.$transaction((tx) => saveRoutingDraft(tx, ukTaxFirst, context))).toEqual({
      saved: true,
      changes: defaults.length + 1,
    });
    const { draft, activeVersion, active } = await routingOverview(client);
    expect(activeVersion).toBe(1);
    expect(active[0]).toMatchObject({ position: 1, code: 'RETRIES_EXHAUSTED' });
    expect(draft?.rules[0]).toMatchObject({ position: 1, code: 'TAX_CODE_MISSING', legalEntityId: 'UK' });

    const preview = await routingPreview(draft!.rules, client);
    expect(preview.changes.filter((c) => c.kind === 'added')).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ code: 'TAX_CODE_MISSING', legalEntityId: 'UK' }) }),
    ]);
    // Every other rule moved down one place.
    expect(preview.changes.filter((c) => c.kind === 'changed').every((c) => c.fields.includes('position'))).toBe(true);
    expect(preview.open).toBe(1);
    expect(preview.rules[0]).toEqual({
      position: 1,
      caught: 1,
      moves: [{ fromTeam: 'finance', fromPriority: 'high', toTeam: 'finance', toPriority: 'urgent', count: 1 }],
    });

    await client.$transaction((tx) => discardRoutingDraft(tx, context));
    expect((await routingOverview(client)).draft).toBeNull();
    expect((await auditActions()).slice(-2)).toEqual(['routing.draft_saved', 'routing.draft_discarded']);
  });

  it('publishes the draft with its reason: new exceptions are placed by the new rules', async () => {
    await expect(client.$transaction((tx) => publishRoutingDraft(tx, 'why', context))).rejects.toThrow(
      /no draft to publish/,
    );
    await client.$transaction((tx) => saveRoutingDraft(tx, ukTaxFirst, context));
    await expect(client.$transaction((tx) => publishRoutingDraft(tx, 'ok', context))).rejects.toThrow(
      /at least 5 characters/,
    );
    expect(await client.$transaction((tx) => publishRoutingDraft(tx, 'UK tax codes block invoicing', context))).toEqual(
      { version: 2 },
    );
    expect((await routingOverview(client)).draft).toBeNull();
    expect(await raise()).toMatchObject({ team: 'finance', priority: 'urgent' });
    const event = await client.auditEvent.findFirstOrThrow({
      where: { action: 'routing.published' },
      orderBy: { id: 'desc' },
    });
    expect(event).toMatchObject({ actorEmail: 'admin@syncwright.example', targetId: '2' });
  });

  it('refuses a draft started before another version was published', async () => {
    await client.$transaction((tx) => saveRoutingDraft(tx, defaults, context));
    await client.$transaction((tx) => publishRoutingRules(tx, { rules: ukTaxFirst, note: 'meanwhile' }, context));
    await expect(client.$transaction((tx) => publishRoutingDraft(tx, 'back to defaults', context))).rejects.toThrow(
      /started from version 2, but version 3 has been published since/,
    );
    expect((await activeRoutingRules(client)).version).toBe(3);
    await client.$transaction((tx) => discardRoutingDraft(tx, context));
  });

  it('refuses a draft whose rules stopped holding since it was saved', async () => {
    await client.legalEntity.create({
      data: { id: 'DE', name: 'Demo GmbH', country: 'DE', currency: 'EUR', taxRegime: 'DE' },
    });
    await client.$transaction((tx) =>
      saveRoutingDraft(tx, [{ ...ukTaxFirst[0]!, legalEntityId: 'DE' }, ...defaults], context),
    );
    await client.legalEntity.delete({ where: { id: 'DE' } });
    await expect(client.$transaction((tx) => publishRoutingDraft(tx, 'German tax first', context))).rejects.toThrow(
      'These rules cannot be published: Rule 1: unknown legal entity "DE".',
    );
    expect((await activeRoutingRules(client)).version).toBe(3);
    await client.$transaction((tx) => discardRoutingDraft(tx, context));
  });

  it('rolls back by publishing an earlier version again, and lists every version with its diff', async () => {
    expect(
      await client.$transaction((tx) => republishRoutingVersion(tx, 1, 'Urgent UK rule flooded finance', context)),
    ).toEqual({ version: 4 });
    expect(await raise()).toMatchObject({ team: 'finance', priority: 'high' });
    await expect(client.$transaction((tx) => republishRoutingVersion(tx, 99, 'no such one', context))).rejects.toThrow(
      /no routing rule version 99/,
    );
    const history = await routingHistory(client);
    expect(history.map((v) => [v.version, v.reason])).toEqual([
      [4, 'Urgent UK rule flooded finance'],
      [3, 'meanwhile'],
      [2, 'UK tax codes block invoicing'],
      [1, 'defaults'],
    ]);
    expect(history[0]!.changes.filter((c) => c.kind !== 'changed')).toEqual([
      expect.objectContaining({ kind: 'removed', before: expect.objectContaining({ code: 'TAX_CODE_MISSING' }) }),
    ]);
    expect(history[1]!.changes).toEqual([]);
    expect((await auditActions()).slice(-2)).toEqual(['routing.published', 'routing.rolled_back']);
  });
});
