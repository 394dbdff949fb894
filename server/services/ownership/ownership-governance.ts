import { Prisma } from '@/server/db/generated/prisma/client';
import { db, type Tx } from '@/server/db/client';
import { checkOwnership, type OwnershipRuleInput } from '@/server/domain/ownership';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { diffRows, type RowChange } from '@/server/services/governance/diff-rows';
import { isSystem, isTeam, ownershipCatalogue } from './ownership-matrix';
import { publishReason } from '@/server/services/governance/publish-reason';
import { activeOwnershipRules, publishOwnershipRules } from './ownership-rules';

/** A rule as the console edits it: its system of record, owning team and why. */
export interface GovernedRule extends OwnershipRuleInput {
  note: string | null;
}

/** A rule as typed in, before it is known to name a real object, attribute, system and team. */
export interface RuleEntry {
  objectType: string;
  attribute: string;
  owner: string;
  team: string;
  note?: string | null;
}

export const ruleKey = (rule: { objectType: string; attribute: string }) => `${rule.objectType}.${rule.attribute}`;

const DRAFT_ID = 1;

/**
 * Refuses a rule set naming an object type or attribute the canonical model does not have, a
 * system other than the CRM, the ERP or billing, an unknown team, or one attribute twice; the
 * message names the first problem. Nothing is saved when it throws.
 */
export function validateRules(entries: readonly RuleEntry[]): GovernedRule[] {
  const catalogue = new Map(ownershipCatalogue().map((c) => [c.objectType, new Set(c.attributes)]));
  const seen = new Set<string>();
  return entries.map((entry) => {
    const where = ruleKey(entry);
    const attributes = catalogue.get(entry.objectType);
    if (!attributes) {
      throw new AppError(
        'BAD_REQUEST',
        `Unknown object type "${entry.objectType}"; choose one of ${[...catalogue.keys()].join(', ')}.`,
        { field: 'rules' },
      );
    }
    if (entry.attribute !== '*' && !attributes.has(entry.attribute)) {
      throw new AppError('BAD_REQUEST', `${entry.objectType} has no attribute "${entry.attribute}".`, {
        field: 'rules',
      });
    }
    if (!isSystem(entry.owner)) {
      throw new AppError(
        'BAD_REQUEST',
        `${where}: "${entry.owner}" is not a system of record; choose the CRM (salesforce), the ERP (netsuite) or billing (stripe).`,
        { field: 'rules' },
      );
    }
    if (!isTeam(entry.team)) {
      throw new AppError(
        'BAD_REQUEST',
        `${where}: "${entry.team}" is not a team; choose finance, operations or integration.`,
        { field: 'rules' },
      );
    }
    if (seen.has(where)) throw new AppError('BAD_REQUEST', `${where} has two rules; keep one.`, { field: 'rules' });
    seen.add(where);
    const note = entry.note?.trim() || null;
    return { objectType: entry.objectType, attribute: entry.attribute, owner: entry.owner, team: entry.team, note };
  });
}

/** The rules of one published version, with their notes; version 0 is "nothing published". */
async function versionRules(client: Tx, version: number): Promise<GovernedRule[]> {
  const rules = await client.ownershipRule.findMany({
    where: { version },
    orderBy: [{ objectType: 'asc' }, { attribute: 'asc' }],
  });
  return rules.map(({ objectType, attribute, owner, team, note }) => ({ objectType, attribute, owner, team, note }));
}

export interface OwnershipDraft {
  baseVersion: number;
  rules: GovernedRule[];
  updatedBy: string;
  updatedAt: Date;
}

export interface OwnershipOverview {
  activeVersion: number;
  active: GovernedRule[];
  draft: OwnershipDraft | null;
  catalogue: { objectType: string; attributes: string[] }[];
}

export async function ownershipOverview(client: Tx = db()): Promise<OwnershipOverview> {
  const { version } = await activeOwnershipRules(client);
  const draftRow = await client.ownershipRuleDraft.findUnique({ where: { id: DRAFT_ID } });
  return {
    activeVersion: version,
    active: await versionRules(client, version),
    draft: draftRow
      ? {
          baseVersion: draftRow.baseVersion,
          rules: draftRow.rules as unknown as GovernedRule[],
          updatedBy: draftRow.updatedBy,
          updatedAt: draftRow.updatedAt,
        }
      : null,
    catalogue: ownershipCatalogue(),
  };
}

/** Saves the rules being edited as the draft (replacing any earlier draft); the rules in force stay. */
export async function saveOwnershipDraft(tx: Tx, entries: readonly RuleEntry[], context: AuditContext) {
  const rules = validateRules(entries);
  const { version } = await activeOwnershipRules(tx);
  const data = {
    baseVersion: version,
    rules: rules as unknown as Prisma.InputJsonValue,
    updatedBy: context.actor.email ?? 'system',
  };
  await tx.ownershipRuleDraft.upsert({ where: { id: DRAFT_ID }, create: { id: DRAFT_ID, ...data }, update: data });
  const changes = diffRows(await versionRules(tx, version), rules, ruleKey);
  await appendAuditEvent(tx, {
    ...context,
    action: 'ownership.draft_saved',
    target: { type: 'OwnershipRules', id: 'draft' },
    after: { baseVersion: version, changes },
  });
  return { changes: changes.length };
}

export async function discardOwnershipDraft(tx: Tx, context: AuditContext) {
  const draft = await tx.ownershipRuleDraft.findUnique({ where: { id: DRAFT_ID } });
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to discard.');
  await tx.ownershipRuleDraft.delete({ where: { id: DRAFT_ID } });
  await appendAuditEvent(tx, {
    ...context,
    action: 'ownership.draft_discarded',
    target: { type: 'OwnershipRules', id: 'draft' },
    before: { baseVersion: draft.baseVersion, rules: draft.rules },
  });
}

async function publish(
  tx: Tx,
  rules: GovernedRule[],
  reason: string,
  context: AuditContext,
  republished: number | null,
) {
  const trimmed = publishReason(reason);
  const { version } = await publishOwnershipRules(tx, { rules, note: trimmed }, context);
  if (republished !== null) {
    await appendAuditEvent(tx, {
      ...context,
      action: 'ownership.rolled_back',
      target: { type: 'OwnershipRules', id: String(version) },
      after: { version, republished, reason: trimmed },
    });
  }
  return { version };
}

/** Publishes the draft as the next version with its reason; the draft is gone afterwards. */
export async function publishOwnershipDraft(tx: Tx, reason: string, context: AuditContext) {
  const draft = await tx.ownershipRuleDraft.findUnique({ where: { id: DRAFT_ID } });
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to publish; edit the rules first.');
  // Publishing a draft of older rules would silently undo what was published since.
  const { version } = await activeOwnershipRules(tx);
  if (draft.baseVersion !== version) {
    throw new AppError(
      'CONFLICT',
      `The draft was started from version ${draft.baseVersion}, but version ${version} has been published since; edit the draft again and save it.`,
    );
  }
  const rules = validateRules(draft.rules as unknown as RuleEntry[]);
  const published = await publish(tx, rules, reason, context, null);
  await tx.ownershipRuleDraft.delete({ where: { id: DRAFT_ID } });
  return published;
}

/** Rolls back: publishes the rules of an earlier version again as a new version (versions never change). */
export async function republishOwnershipVersion(tx: Tx, version: number, reason: string, context: AuditContext) {
  const exists = await tx.ownershipRuleVersion.findUnique({ where: { version } });
  if (!exists) throw new AppError('NOT_FOUND', `There is no ownership rule version ${version}.`);
  return publish(tx, await versionRules(tx, version), reason, context, version);
}

export interface OwnershipVersionEntry {
  version: number;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string;
  changes: RowChange<GovernedRule>[];
}

/** Every published version, newest first, each with what it changed against the one before. */
export async function ownershipHistory(client: Tx = db()): Promise<OwnershipVersionEntry[]> {
  const versions = await client.ownershipRuleVersion.findMany({
    orderBy: { version: 'asc' },
    include: { rules: true },
  });
  let previous: GovernedRule[] = [];
  const entries: OwnershipVersionEntry[] = [];
  for (const v of versions) {
    const rules = v.rules.map(({ objectType, attribute, owner, team, note }) => ({
      objectType,
      attribute,
      owner,
      team,
      note,
    }));
    entries.push({
      version: v.version,
      publishedBy: v.createdBy,
      publishedAt: v.createdAt,
      reason: v.note,
      changes: diffRows(previous, rules, ruleKey),
    });
    previous = rules;
  }
  return entries.reverse();
}

export interface RoutineImpact {
  routine: RoutineName;
  label: string;
  /** Records of an object type whose ownership changes that this routine has carried. */
  records: number;
  /** Open ownership conflicts whose source would own every attribute it changed. */
  conflictsResolved: number;
}

/** "budget (owned by netsuite), name (owned by …)" as the ownership step words a conflict. */
const CONFLICT_ATTRIBUTE = /(\w+) \(owned by \w+\)/g;

/**
 * What publishing `rules` instead of the rules in force would touch, per routine: how many records
 * it carried are of an object type whose ownership changes, and how many open ownership conflicts
 * would become deliverable because their source would then own what it changed.
 */
export async function ownershipImpact(
  rules: readonly GovernedRule[],
  client: Tx = db(),
): Promise<{ changes: RowChange<GovernedRule>[]; routines: RoutineImpact[] }> {
  const { version } = await activeOwnershipRules(client);
  const changes = diffRows(await versionRules(client, version), [...rules], ruleKey);
  const types = [...new Set(changes.map((c) => (c.kind === 'removed' ? c.before : c.after).objectType))];
  const counts = new Map<string, number>();
  if (types.length > 0) {
    // A record's type is in its canonical snapshot or, for types kept no snapshot of, the identity map;
    // a routine carried it if the ledger or a delivery of that routine names it.
    const rows = await client.$queryRaw<{ routine: string; records: bigint }[]>(Prisma.sql`
      WITH typed AS (
        SELECT id AS "canonicalId" FROM "CanonicalRecord" WHERE type IN (${Prisma.join(types)})
        UNION SELECT "canonicalId" FROM "ExternalRef" WHERE "canonicalType" IN (${Prisma.join(types)})
      ), carried AS (
        SELECT routine, "canonicalId" FROM "LedgerEntry" WHERE "canonicalId" IS NOT NULL
        UNION SELECT routine, "canonicalId" FROM "Delivery"
      )
      SELECT c.routine::text AS routine, count(DISTINCT c."canonicalId") AS records
      FROM carried c JOIN typed t ON t."canonicalId" = c."canonicalId"
      GROUP BY c.routine`);
    for (const row of rows) counts.set(row.routine, Number(row.records));
  }
  const conflicts = await client.syncException.findMany({
    where: { code: 'OWNERSHIP_CONFLICT', status: { notIn: ['resolved', 'ignored'] }, objectType: { in: types } },
    select: { routine: true, objectType: true, message: true, payload: true },
  });
  const resolved = new Map<string, number>();
  for (const conflict of conflicts) {
    const source = (conflict.payload as { sourceSystem?: string } | null)?.sourceSystem;
    const attributes = [...conflict.message.matchAll(CONFLICT_ATTRIBUTE)].map((m) => m[1]!);
    if (!source || !isSystem(source) || attributes.length === 0) continue;
    const after = checkOwnership(rules, { objectType: conflict.objectType, source, attributes });
    if (after.conflicts.length === 0) resolved.set(conflict.routine, (resolved.get(conflict.routine) ?? 0) + 1);
  }
  return {
    changes,
    routines: ROUTINES.map((routine) => ({
      routine,
      label: ROUTINE_FACTS[routine].label,
      records: counts.get(routine) ?? 0,
      conflictsResolved: resolved.get(routine) ?? 0,
    })),
  };
}

/** The steps above, each in a transaction of its own with its audit event. */
export const ownershipGovernance = {
  saveDraft: (entries: readonly RuleEntry[], context: AuditContext) =>
    db().$transaction((tx) => saveOwnershipDraft(tx, entries, context)),
  discardDraft: (context: AuditContext) => db().$transaction((tx) => discardOwnershipDraft(tx, context)),
  publishDraft: (reason: string, context: AuditContext) =>
    db().$transaction((tx) => publishOwnershipDraft(tx, reason, context)),
  republish: (version: number, reason: string, context: AuditContext) =>
    db().$transaction((tx) => republishOwnershipVersion(tx, version, reason, context)),
  /** The impact of publishing the saved draft; null when there is none. */
  draftImpact: async () => {
    const { draft } = await ownershipOverview();
    return draft ? ownershipImpact(draft.rules) : null;
  },
};
