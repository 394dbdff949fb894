import Decimal from 'decimal.js';
import { Prisma } from '@/server/db/generated/prisma/client';
import { db, type Tx } from '@/server/db/client';
import { EXCEPTION_CATALOGUE, EXCEPTION_CODES } from '@/server/domain/exception-catalogue';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import type { PriorityName, RoutingRuleInput, TeamName } from '@/server/domain/routing';
import { previewRouting, type OpenExceptionFacts, type RoutingMove } from '@/server/domain/routing-preview';
import {
  routingRuleFieldProblems,
  type RoutingRuleContext,
  type RoutingRuleField,
} from '@/server/domain/routing-rule-validation';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { diffRows, type RowChange } from '@/server/services/governance/diff-rows';
import { publishReason } from '@/server/services/governance/publish-reason';
import { activeRoutingRules, publishRoutingRules, routingRuleFromRow, routingVersionRules } from './routing-rules';

/** A rule as the console shows and edits it; `position` is its place in the list, from 1. */
export type RoutingRuleRow = Required<RoutingRuleInput>;

/** A rule as typed in, before it is known to name a real routine, code, entity and currency. */
export interface RoutingRuleEntry {
  routine: string | null;
  code: string | null;
  legalEntityId: string | null;
  minAmount: string | null;
  maxAmount: string | null;
  amountCurrency: string | null;
  team: TeamName;
  priority: PriorityName;
  dueHours: number;
  enabled: boolean;
}

export interface RoutingProblem {
  /** The rule's index in the list, from 0. */
  index: number;
  field: RoutingRuleField;
  message: string;
}

const DRAFT_ID = 1;
const blank = (value: string | null | undefined) =>
  value === null || value === undefined ? null : value.trim() || null;
const amount = (value: string | null) => (value === null ? null : new Decimal(value).toFixed());

/** The legal entities and the currencies they bill in: what a rule may name besides the catalogue. */
export async function routingRuleContext(client: Tx = db()): Promise<RoutingRuleContext> {
  const entities = await client.legalEntity.findMany({ select: { id: true, currency: true } });
  return {
    legalEntityIds: new Set(entities.map((e) => e.id)),
    currencies: new Set(entities.map((e) => e.currency)),
  };
}

const matchOf = (rule: Pick<RoutingRuleEntry, 'routine' | 'code' | 'legalEntityId' | 'minAmount' | 'maxAmount'>) =>
  [rule.routine, rule.code, rule.legalEntityId, rule.minAmount, rule.maxAmount]
    .map((v) => {
      const value = blank(v);
      if (value === null) return '*';
      try {
        return new Decimal(value).toFixed();
      } catch {
        return value;
      }
    })
    .join('|');

/**
 * The amount rules in force that were written before a range carried its currency. The engine still
 * compares their bare amount, so such a rule may stay as it is; once edited it needs a currency.
 */
function rangesWithoutCurrency(active: readonly RoutingRuleInput[]): Set<string> {
  return new Set(
    active
      .filter((r) => (r.minAmount || r.maxAmount) && !r.amountCurrency)
      .map((r) => matchOf({ ...r, maxAmount: r.maxAmount ?? null })),
  );
}

/** Every problem of an ordered list of entries, each with its rule and field; empty when all is well. */
export function routingProblems(
  entries: readonly RoutingRuleEntry[],
  ctx: RoutingRuleContext,
  active: readonly RoutingRuleInput[] = [],
  /** The place of the first entry in the whole list, when checking part of it. */
  firstIndex = 0,
): RoutingProblem[] {
  const kept = rangesWithoutCurrency(active);
  return entries.flatMap((entry, i) => {
    const index = firstIndex + i;
    return routingRuleFieldProblems(
      {
        ...entry,
        position: index + 1,
        routine: blank(entry.routine),
        code: blank(entry.code),
        legalEntityId: blank(entry.legalEntityId),
        minAmount: blank(entry.minAmount),
        maxAmount: blank(entry.maxAmount),
        amountCurrency: blank(entry.amountCurrency),
      },
      index,
      ctx,
    )
      .filter((p) => !(p.field === 'amountCurrency' && !blank(entry.amountCurrency) && kept.has(matchOf(entry))))
      .map((problem) => ({ index, ...problem }));
  });
}

/** Entries already free of problems, as rows: blanks as null, amounts in one spelling, positions in order. */
function toRows(entries: readonly RoutingRuleEntry[]): RoutingRuleRow[] {
  return entries.map((entry, index) => ({
    position: index + 1,
    routine: blank(entry.routine) as RoutineName | null,
    code: blank(entry.code),
    legalEntityId: blank(entry.legalEntityId),
    minAmount: amount(blank(entry.minAmount)),
    maxAmount: amount(blank(entry.maxAmount)),
    amountCurrency: blank(entry.amountCurrency),
    team: entry.team,
    priority: entry.priority,
    dueHours: entry.dueHours,
    enabled: entry.enabled,
  }));
}

/** A version's rules as rows numbered 1, 2, 3… (a carried-over version may be numbered 10, 20…). */
async function versionRows(client: Tx, version: number): Promise<RoutingRuleRow[]> {
  return asRows(await routingVersionRules(client, version));
}

function asRows(rules: readonly RoutingRuleInput[]): RoutingRuleRow[] {
  return toRows(rules.map((r) => ({ ...r, maxAmount: r.maxAmount ?? null, amountCurrency: r.amountCurrency ?? null })));
}

/**
 * Rules are matched up across versions by what they match on, so a rule moved up the list reads as
 * "position changed" and a new one as "added"; a second rule on the same match is told apart by
 * its occurrence.
 */
export function diffRoutingRules(before: readonly RoutingRuleRow[], after: readonly RoutingRuleRow[]) {
  const keys = new Map<RoutingRuleRow, string>();
  for (const list of [before, after]) {
    const seen = new Map<string, number>();
    for (const row of list) {
      const match = [row.routine, row.code, row.legalEntityId, row.minAmount, row.maxAmount, row.amountCurrency]
        .map((v) => v ?? '*')
        .join('|');
      const n = (seen.get(match) ?? 0) + 1;
      seen.set(match, n);
      keys.set(row, n === 1 ? match : `${match}#${n}`);
    }
  }
  return diffRows(before, after, (row) => keys.get(row)!);
}

export interface RoutingDraft {
  baseVersion: number;
  rules: RoutingRuleRow[];
  updatedBy: string;
  updatedAt: Date;
}

export interface RoutingChoices {
  routines: { value: RoutineName; label: string }[];
  codes: { value: string; label: string }[];
  legalEntities: { value: string; label: string; currency: string }[];
  currencies: string[];
}

export interface RoutingOverview {
  activeVersion: number;
  active: RoutingRuleRow[];
  draft: RoutingDraft | null;
  choices: RoutingChoices;
}

async function readDraft(client: Tx): Promise<RoutingDraft | null> {
  const row = await client.routingRuleDraft.findUnique({ where: { id: DRAFT_ID } });
  if (!row) return null;
  return {
    baseVersion: row.baseVersion,
    rules: row.rules as unknown as RoutingRuleRow[],
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

export async function routingOverview(client: Tx = db()): Promise<RoutingOverview> {
  const [{ version, rules }, draft, entities] = await Promise.all([
    activeRoutingRules(client),
    readDraft(client),
    client.legalEntity.findMany({ select: { id: true, name: true, currency: true }, orderBy: { id: 'asc' } }),
  ]);
  return {
    activeVersion: version,
    active: asRows(rules),
    draft,
    choices: {
      routines: ROUTINES.map((value) => ({ value, label: ROUTINE_FACTS[value].label })),
      codes: EXCEPTION_CODES.map((value) => ({ value, label: EXCEPTION_CATALOGUE[value].title })),
      legalEntities: entities.map((e) => ({ value: e.id, label: e.name, currency: e.currency })),
      currencies: [...new Set(entities.map((e) => e.currency))].sort(),
    },
  };
}

export type SaveRoutingDraftResult = { saved: true; changes: number } | { saved: false; problems: RoutingProblem[] };

/**
 * Saves the ordered rules being edited as the draft (replacing any earlier one); the rules in force
 * stay. A list with any problem is not saved: the problems come back for the form instead.
 */
export async function saveRoutingDraft(
  tx: Tx,
  entries: readonly RoutingRuleEntry[],
  context: AuditContext,
): Promise<SaveRoutingDraftResult> {
  const { version, rules: inForce } = await activeRoutingRules(tx);
  const problems = routingProblems(entries, await routingRuleContext(tx), inForce);
  if (problems.length > 0) return { saved: false, problems };
  const rules = toRows(entries);
  const data = {
    baseVersion: version,
    rules: rules as unknown as Prisma.InputJsonValue,
    updatedBy: context.actor.email ?? 'system',
  };
  await tx.routingRuleDraft.upsert({ where: { id: DRAFT_ID }, create: { id: DRAFT_ID, ...data }, update: data });
  const changes = diffRoutingRules(await versionRows(tx, version), rules);
  await appendAuditEvent(tx, {
    ...context,
    action: 'routing.draft_saved',
    target: { type: 'RoutingRules', id: 'draft' },
    after: { baseVersion: version, changes },
  });
  return { saved: true, changes: changes.length };
}

export async function discardRoutingDraft(tx: Tx, context: AuditContext) {
  const draft = await tx.routingRuleDraft.findUnique({ where: { id: DRAFT_ID } });
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to discard.');
  await tx.routingRuleDraft.delete({ where: { id: DRAFT_ID } });
  await appendAuditEvent(tx, {
    ...context,
    action: 'routing.draft_discarded',
    target: { type: 'RoutingRules', id: 'draft' },
    before: { baseVersion: draft.baseVersion, rules: draft.rules },
  });
}

async function publish(
  tx: Tx,
  rules: RoutingRuleRow[],
  reason: string,
  context: AuditContext,
  republished: number | null,
) {
  const trimmed = publishReason(reason);
  const { version } = await publishRoutingRules(tx, { rules, note: trimmed }, context);
  if (republished !== null) {
    await appendAuditEvent(tx, {
      ...context,
      action: 'routing.rolled_back',
      target: { type: 'RoutingRules', id: String(version) },
      after: { version, republished, reason: trimmed },
    });
  }
  return { version };
}

/** Publishes the draft as the next version with its reason; the draft is gone afterwards. */
export async function publishRoutingDraft(tx: Tx, reason: string, context: AuditContext) {
  const draft = await readDraft(tx);
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to publish; edit the rules first.');
  // Publishing a draft of older rules would silently undo what was published since.
  const { version, rules: inForce } = await activeRoutingRules(tx);
  if (draft.baseVersion !== version) {
    throw new AppError(
      'CONFLICT',
      `The draft was started from version ${draft.baseVersion}, but version ${version} has been published since; edit the draft again and save it.`,
    );
  }
  // Entities may have gone since the draft was saved: what is published must still hold.
  const problems = routingProblems(draft.rules, await routingRuleContext(tx), inForce);
  if (problems.length > 0) {
    throw new AppError('BAD_REQUEST', `These rules cannot be published: ${problems.map((p) => p.message).join(' ')}`, {
      field: 'rules',
      problems,
    });
  }
  const published = await publish(tx, draft.rules, reason, context, null);
  await tx.routingRuleDraft.delete({ where: { id: DRAFT_ID } });
  return published;
}

/**
 * Rolls back: publishes the rules of an earlier version again as a new version (versions never
 * change). They were in force once, so they are published as they were, not checked again.
 */
export async function republishRoutingVersion(tx: Tx, version: number, reason: string, context: AuditContext) {
  const exists = await tx.routingRuleVersion.findUnique({ where: { version } });
  if (!exists) throw new AppError('NOT_FOUND', `There is no routing rule version ${version}.`);
  return publish(tx, await versionRows(tx, version), reason, context, version);
}

export interface RoutingVersionEntry {
  version: number;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string;
  changes: RowChange<RoutingRuleRow>[];
}

/** Every published version, newest first, each with what it changed against the one before. */
export async function routingHistory(client: Tx = db()): Promise<RoutingVersionEntry[]> {
  const versions = await client.routingRuleVersion.findMany({
    orderBy: { version: 'asc' },
    include: { rules: { orderBy: { position: 'asc' } } },
  });
  let previous: RoutingRuleRow[] = [];
  const entries: RoutingVersionEntry[] = [];
  for (const v of versions) {
    const rules = asRows(v.rules.map(routingRuleFromRow));
    entries.push({
      version: v.version,
      publishedBy: v.createdBy,
      publishedAt: v.createdAt,
      reason: v.note,
      changes: diffRoutingRules(previous, rules),
    });
    previous = rules;
  }
  return entries.reverse();
}

export interface RoutingRulePreview {
  position: number;
  /** Open exceptions this rule would place (it is the first enabled rule that matches them). */
  caught: number;
  /** Of those, where they would move from their team and priority today. */
  moves: RoutingMove[];
}

export interface RoutingPreviewResult {
  changes: RowChange<RoutingRuleRow>[];
  open: number;
  rules: RoutingRulePreview[];
  /** Open exceptions no rule would catch: they would take the fallback placement. */
  unmatched: number;
  unmatchedMoves: RoutingMove[];
  moves: RoutingMove[];
}

/**
 * What publishing `rules` would do: the diff against the rules in force and how today's open
 * exceptions would be placed by them. The open exceptions are read grouped by the facts a rule
 * can match on, so a large queue is a few hundred rows, not one per exception.
 */
export async function routingPreview(
  rules: readonly RoutingRuleRow[],
  client: Tx = db(),
): Promise<RoutingPreviewResult> {
  const { version } = await activeRoutingRules(client);
  const changes = diffRoutingRules(await versionRows(client, version), rules);
  const groups = await client.$queryRaw<
    {
      routine: RoutineName;
      code: string;
      legalEntityId: string | null;
      amount: string | null;
      currency: string | null;
      team: TeamName;
      priority: PriorityName;
      count: bigint;
    }[]
  >(Prisma.sql`
    SELECT routine::text AS routine, code, "legalEntityId", amount::text AS amount, currency,
      team::text AS team, priority::text AS priority, count(*) AS count
    FROM "SyncException"
    WHERE status NOT IN ('resolved', 'ignored')
    GROUP BY 1, 2, 3, 4, 5, 6, 7`);
  const open: OpenExceptionFacts[] = groups.map((g) => ({ ...g, count: Number(g.count) }));
  const preview = previewRouting(rules, open);
  return {
    changes,
    open: open.reduce((sum, g) => sum + (g.count ?? 1), 0),
    rules: rules.map((r) => ({
      position: r.position,
      caught: preview.caughtByPosition.get(r.position) ?? 0,
      moves: preview.movesByPosition.get(r.position) ?? [],
    })),
    unmatched: preview.unmatched,
    unmatchedMoves: preview.movesByPosition.get(null) ?? [],
    moves: preview.moves,
  };
}

/** The steps above, each in a transaction of its own with its audit event. */
export const routingGovernance = {
  saveDraft: (entries: readonly RoutingRuleEntry[], context: AuditContext) =>
    db().$transaction((tx) => saveRoutingDraft(tx, entries, context)),
  /** Problems of rules being edited, without saving anything (the form's check of one rule). */
  check: async (entries: readonly RoutingRuleEntry[], firstIndex = 0) =>
    routingProblems(entries, await routingRuleContext(), (await activeRoutingRules()).rules, firstIndex),
  discardDraft: (context: AuditContext) => db().$transaction((tx) => discardRoutingDraft(tx, context)),
  publishDraft: (reason: string, context: AuditContext) =>
    db().$transaction((tx) => publishRoutingDraft(tx, reason, context)),
  republish: (version: number, reason: string, context: AuditContext) =>
    db().$transaction((tx) => republishRoutingVersion(tx, version, reason, context)),
  /** The diff and preview of publishing the saved draft; null when there is none. */
  draftPreview: async () => {
    const draft = await readDraft(db());
    return draft ? routingPreview(draft.rules) : null;
  },
};
