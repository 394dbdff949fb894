import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { exceptionFacets, listExceptions, type ExceptionFilters } from './list-exceptions';
import { raiseException } from './raise-exception';

// The test database is shared: every exception here carries this file's own legal entity.
const entity = `LE-${randomUUID().slice(0, 8)}`;
const other = `${entity}-B`;
const HOUR = 3_600_000;
let me: string;
let runId: string;
const ids: Record<string, string> = {};

async function seed(
  name: string,
  row: {
    code?: string;
    status?: 'open' | 'assigned' | 'in_progress' | 'resolved' | 'ignored';
    team?: 'finance' | 'operations' | 'integration';
    priority?: 'low' | 'normal' | 'high' | 'urgent';
    kind?: 'business' | 'technical';
    routine?: 'billing_eligibility' | 'project_activation';
    legalEntityId?: string;
    assigneeId?: string | null;
    message?: string;
    externalId?: string;
    amount?: string | null;
    ageHours?: number;
    dueInHours?: number | null;
    lastSeenAt?: Date;
  },
) {
  const now = Date.now();
  const created = await db().syncException.create({
    data: {
      fingerprint: randomUUID(),
      kind: row.kind ?? 'business',
      code: row.code ?? 'TAX_CODE_MISSING',
      routine: row.routine ?? 'billing_eligibility',
      legalEntityId: row.legalEntityId ?? entity,
      objectType: 'TimeBill',
      externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: row.externalId ?? `TB-${name}` }],
      message: row.message ?? `No tax code for ${name}`,
      payload: {},
      correlationId: randomUUID(),
      amount: row.amount === undefined ? '100.0000' : row.amount,
      currency: row.amount === null ? null : 'GBP',
      status: row.status ?? 'open',
      team: row.team ?? 'finance',
      priority: row.priority ?? 'normal',
      assigneeId: row.assigneeId ?? null,
      firstSeenAt: new Date(now - (row.ageHours ?? 1) * HOUR),
      lastSeenAt: row.lastSeenAt ?? new Date(now - (row.ageHours ?? 1) * HOUR),
      dueAt: row.dueInHours === null ? null : new Date(now + (row.dueInHours ?? 24) * HOUR),
    },
  });
  ids[name] = created.id;
}

async function idsOf(filters: ExceptionFilters, sort?: 'lastSeen' | 'age' | 'priority' | 'due' | 'amount') {
  const page = await listExceptions({
    filters: { legalEntityId: [entity, other], ...filters },
    viewerId: me,
    sort,
    limit: 200,
  });
  return page.items.map((r) => r.id);
}

const names = (list: string[]) => list.map((id) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id).sort();

beforeAll(async () => {
  const user = await db().user.create({
    data: { email: `queue-${randomUUID()}@test`, name: 'Queue Tester', role: 'finance', passwordHash: 'x' },
  });
  me = user.id;
  await seed('mine', { status: 'assigned', assigneeId: me, priority: 'high' });
  await seed('overdue', { dueInHours: -2, priority: 'urgent', ageHours: 50 });
  await seed('rate', { code: 'RATE_CARD_MISSING', team: 'operations', routine: 'project_activation', amount: null });
  await seed('tech', { code: 'RETRIES_EXHAUSTED', kind: 'technical', team: 'integration', ageHours: 24 * 40 });
  await seed('resolved', { status: 'resolved', dueInHours: -5, ageHours: 24 * 10 });
  await seed('other-entity', { legalEntityId: other, message: 'Customer unresolved', code: 'CUSTOMER_UNRESOLVED' });
  await seed('big', { amount: '98765.4321', externalId: 'INV-ZZ-777' });
  // A run that raised one new exception and saw an existing one again.
  runId = randomUUID();
  const raised = {
    routine: 'billing_eligibility' as const,
    legalEntityId: entity,
    objectType: 'TimeBill',
    message: 'No tax code',
    payload: {},
    correlationId: randomUUID(),
    team: 'finance' as const,
    runId,
  };
  const first = await raiseException(db(), {
    ...raised,
    code: 'TAX_CODE_MISSING',
    externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `RUN-${entity}` }],
  });
  ids['in-run'] = first.id;
  await raiseException(db(), {
    ...raised,
    runId: randomUUID(),
    code: 'TAX_CODE_MISSING',
    externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `RUN2-${entity}` }],
  }).then(async (second) => {
    ids['earlier-run'] = second.id;
    // Seen again by this run.
    await raiseException(db(), {
      ...raised,
      code: 'TAX_CODE_MISSING',
      externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `RUN2-${entity}` }],
    });
  });
  // Routing rules other tests add may place them otherwise; this file's expectations need these.
  await db().syncException.updateMany({
    where: { id: { in: [ids['in-run']!, ids['earlier-run']!] } },
    data: { priority: 'normal', dueAt: new Date(Date.now() + 24 * HOUR) },
  });
});

describe('the exceptions queue', () => {
  it('filters by each field', async () => {
    expect(names(await idsOf({ assignee: 'me' }))).toEqual(['mine']);
    expect(names(await idsOf({ assignee: 'unassigned', status: ['resolved'] }))).toEqual(['resolved']);
    expect(names(await idsOf({ code: ['RATE_CARD_MISSING'] }))).toEqual(['rate']);
    expect(names(await idsOf({ team: ['integration'] }))).toEqual(['tech']);
    expect(names(await idsOf({ kind: 'technical' }))).toEqual(['tech']);
    expect(names(await idsOf({ routine: ['project_activation'] }))).toEqual(['rate']);
    expect(names(await idsOf({ priority: ['urgent', 'high'] }))).toEqual(['mine', 'overdue']);
    expect(names(await idsOf({ legalEntityId: [other] }))).toEqual(['other-entity']);
    expect(names(await idsOf({ overdue: true }))).toEqual(['overdue']);
    expect(names(await idsOf({ age: '30d+' }))).toEqual(['tech']);
    expect(names(await idsOf({ age: '1-7d' }))).toEqual(['overdue']);
    expect(names(await idsOf({ age: '7-30d' }))).toEqual(['resolved']);
    expect(names(await idsOf({ q: 'unresolved' }))).toEqual(['other-entity']);
    expect(names(await idsOf({ q: 'inv-zz-77' }))).toEqual(['big']);
    // Case does not matter, on either side.
    expect(names(await idsOf({ q: 'UnResolved' }))).toEqual(['other-entity']);
    expect(names(await idsOf({ q: 'INV-ZZ-77' }))).toEqual(['big']);
    expect(names(await idsOf({ q: '100%' }))).toEqual([]);
    expect(
      names(await idsOf({ team: ['finance'], assignee: 'unassigned', code: ['TAX_CODE_MISSING'], status: ['open'] })),
    ).toEqual(['big', 'earlier-run', 'in-run', 'overdue']);
  });

  it('lists a run’s exceptions: those it raised and those it saw again', async () => {
    expect(names(await idsOf({ runId }))).toEqual(['earlier-run', 'in-run']);
    expect(await idsOf({ runId: randomUUID() })).toEqual([]);
  });

  it('counts each facet value for the current filter', async () => {
    const facets = await exceptionFacets({
      filters: { legalEntityId: [entity], status: ['open', 'assigned'] },
      viewerId: me,
    });
    expect(facets.total).toBe(7);
    expect(facets.overdue).toBe(1);
    expect(facets.unassigned).toBe(6);
    expect(facets.status).toEqual([
      { value: 'open', count: 6 },
      { value: 'assigned', count: 1 },
    ]);
    expect(facets.team).toEqual([
      { value: 'finance', count: 5 },
      { value: 'integration', count: 1 },
      { value: 'operations', count: 1 },
    ]);
    expect(facets.code.find((c) => c.value === 'TAX_CODE_MISSING')?.count).toBe(5);
    expect(facets.kind).toEqual([
      { value: 'business', count: 6 },
      { value: 'technical', count: 1 },
    ]);
  });

  it('gives each facet value the number of rows the list shows with that value added to the filter', async () => {
    const filters: ExceptionFilters[] = [
      { status: ['open', 'assigned'] },
      { team: ['finance'], assignee: 'unassigned' },
      { q: 'tax code', priority: ['normal', 'urgent'] },
      { runId },
      { age: '1-7d', overdue: true },
    ];
    for (const filter of filters) {
      const scoped = { ...filter, legalEntityId: [entity, other] };
      const facets = await exceptionFacets({ filters: scoped, viewerId: me });
      expect(facets.total).toBe((await idsOf(filter)).length);
      expect(facets.unassigned).toBe((await idsOf({ ...filter, assignee: 'unassigned' })).length);
      expect(facets.overdue).toBe((await idsOf({ ...filter, overdue: true })).length);
      for (const field of ['status', 'team', 'code', 'routine', 'legalEntityId', 'priority'] as const) {
        for (const { value, count } of facets[field]) {
          const narrowed = field === 'legalEntityId' ? { legalEntityId: [value] } : { [field]: [value] };
          const rows = await listExceptions({ filters: { ...scoped, ...narrowed }, viewerId: me, limit: 200 });
          expect(count, `${field} ${value} under ${JSON.stringify(filter)}`).toBe(rows.items.length);
        }
      }
      for (const { value, count } of facets.kind) {
        const kind = value as 'business' | 'technical';
        expect(count).toBe((await idsOf({ ...filter, kind })).length);
      }
    }
  });

  it('sorts by priority, due date and amount, missing values last', async () => {
    const byPriority = names((await idsOf({ status: ['open', 'assigned'] }, 'priority')).slice(0, 2));
    expect(byPriority).toEqual(['mine', 'overdue']);
    const byDue = await idsOf({ status: ['open', 'assigned'] }, 'due');
    expect(byDue[0]).toBe(ids.overdue);
    const byAmount = await idsOf({ legalEntityId: [entity] }, 'amount');
    expect(byAmount[0]).toBe(ids.big);
    expect(names(byAmount.slice(-3))).toEqual(['earlier-run', 'in-run', 'rate']);
  });

  it('pages with a keyset that neither skips nor repeats rows sharing a sort value', async () => {
    const tied = `${entity}-T`;
    const at = new Date(Date.now() - 5 * HOUR);
    for (let i = 0; i < 23; i += 1) await seed(`tie-${i}`, { legalEntityId: tied, lastSeenAt: at, priority: 'high' });
    for (const sort of ['lastSeen', 'priority', 'due', 'amount'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listExceptions({ filters: { legalEntityId: [tied] }, viewerId: me, sort, cursor, limit: 5 });
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
    }
  });

  it('refuses a cursor from another sort or a forged one', async () => {
    const page = await listExceptions({ filters: { legalEntityId: [entity] }, viewerId: me, limit: 1 });
    await expect(
      listExceptions({ filters: {}, viewerId: me, sort: 'amount', cursor: page.nextCursor!, limit: 5 }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(listExceptions({ filters: {}, viewerId: me, cursor: 'not-a-cursor', limit: 5 })).rejects.toThrow(
      /no longer exists/,
    );
  });
});
