import { Prisma } from '@/server/db/generated/prisma/client';
import { db, type Tx } from '@/server/db/client';
import { DATE_LAYOUTS } from '@/server/domain/field-transforms';
import {
  exceptionsCausedByFieldMaps,
  fieldMapKey,
  fieldMapRowProblems,
  SOURCE_RECORDS,
  sortFieldMaps,
  sourceRecordsOf,
  tidyFieldMaps,
  type FieldMapRow,
  type FieldMapRowProblem,
} from '@/server/domain/field-maps';
import {
  exceptionsCausedBy,
  sortValueMaps,
  tidyValueMaps,
  VALUE_MAP_KIND_NAMES,
  VALUE_MAP_KINDS,
  valueMapProblems,
  type ValueMapProblem,
  type ValueMapRow,
} from '@/server/domain/value-maps';
import { AppError } from '@/server/errors';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';
import { diffRows, type RowChange } from '@/server/services/governance/diff-rows';
import { publishReason } from '@/server/services/governance/publish-reason';
import { activeFieldMappingVersion } from '@/server/sync/field-mappings';

/** The mappings of one connection for one legal entity: what is versioned together. */
export interface MappingScope {
  connectionId: string;
  legalEntityId: string;
}

export interface MappingScopeChoice extends MappingScope {
  connectionName: string;
  system: string;
}

/** What a draft holds and a version publishes: value maps and field maps. */
export interface MappingSet {
  mappings: ValueMapRow[];
  fieldMaps: FieldMapRow[];
}

export interface MappingDraft extends MappingSet {
  baseVersion: number;
  updatedBy: string;
  updatedAt: Date;
}

export interface MappingOverview {
  scopes: MappingScopeChoice[];
  activeVersion: number;
  active: ValueMapRow[];
  activeFieldMaps: FieldMapRow[];
  draft: MappingDraft | null;
  /** The draft's field maps against those in force; null when there is no draft. */
  draftFieldMapChanges: RowChange<FieldMapRow>[] | null;
  kinds: { value: string; label: string }[];
  /** The source records the scope's connection reads, with what a field map of each may use. */
  sources: { value: string; label: string; fields: string[]; attributes: string[] }[];
  dateLayouts: string[];
}

const targetOf = (scope: MappingScope) => ({
  type: 'FieldMappings',
  id: `${scope.connectionId}/${scope.legalEntityId}`,
});
const keyOf = (row: ValueMapRow) => `${row.kind}|${row.sourceValue}`;

/** Value maps are matched across versions by kind and source value, so a new target reads as "changed". */
export const diffValueMaps = (before: readonly ValueMapRow[], after: readonly ValueMapRow[]) =>
  diffRows(before, after, keyOf);

/** Field maps are matched across versions by source record and attribute. */
export const diffFieldMaps = (before: readonly FieldMapRow[], after: readonly FieldMapRow[]) =>
  diffRows(before, after, fieldMapKey);

/** Every connection with each legal entity it serves. */
export async function mappingScopes(client: Tx = db()): Promise<MappingScopeChoice[]> {
  const connections = await client.connection.findMany({ orderBy: { name: 'asc' } });
  return connections.flatMap((c) =>
    [...c.legalEntityIds]
      .sort()
      .map((legalEntityId) => ({ connectionId: c.id, legalEntityId, connectionName: c.name, system: c.system })),
  );
}

/** The scope's connection; refused when it does not serve the entity. */
async function checkScope(client: Tx, scope: MappingScope) {
  const connection = await client.connection.findUnique({ where: { id: scope.connectionId } });
  if (!connection) throw new AppError('NOT_FOUND', `There is no connection ${scope.connectionId}.`);
  if (!connection.legalEntityIds.includes(scope.legalEntityId))
    throw new AppError('BAD_REQUEST', `${connection.name} does not serve legal entity ${scope.legalEntityId}.`);
  return connection;
}

/** A version's field maps; none for a version without a record (the mappings seeded before versioning). */
async function versionFieldMaps(client: Tx, scope: MappingScope, version: number): Promise<FieldMapRow[]> {
  const row = await client.fieldMappingVersion.findUnique({
    where: { connectionId_legalEntityId_version: { ...scope, version } },
    select: { fieldMaps: true },
  });
  return (row?.fieldMaps ?? []) as unknown as FieldMapRow[];
}

async function versionRows(client: Tx, scope: MappingScope, version: number): Promise<ValueMapRow[]> {
  const rows = await client.fieldMapping.findMany({
    where: { ...scope, version },
    select: { kind: true, sourceValue: true, targetValue: true },
  });
  return sortValueMaps(rows);
}

/** The scope's mappings in force and their version. */
export async function activeValueMaps(scope: MappingScope, client: Tx = db()) {
  const version = await activeFieldMappingVersion(scope.connectionId, scope.legalEntityId, client);
  const [mappings, fieldMaps] = await Promise.all([
    versionRows(client, scope, version),
    versionFieldMaps(client, scope, version),
  ]);
  return { version, mappings, fieldMaps };
}

async function readDraft(client: Tx, scope: MappingScope): Promise<MappingDraft | null> {
  const row = await client.fieldMappingDraft.findUnique({ where: { connectionId_legalEntityId: scope } });
  if (!row) return null;
  return {
    baseVersion: row.baseVersion,
    mappings: row.mappings as unknown as ValueMapRow[],
    fieldMaps: row.fieldMaps as unknown as FieldMapRow[],
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

export async function mappingOverview(scope: MappingScope | null, client: Tx = db()): Promise<MappingOverview> {
  const scopes = await mappingScopes(client);
  const first = scopes[0];
  const chosen = scope ?? (first ? { connectionId: first.connectionId, legalEntityId: first.legalEntityId } : null);
  const kinds = VALUE_MAP_KIND_NAMES.map((value) => ({ value, label: VALUE_MAP_KINDS[value].label }));
  const dateLayouts = [...DATE_LAYOUTS];
  if (!chosen)
    return {
      scopes,
      activeVersion: 1,
      active: [],
      activeFieldMaps: [],
      draft: null,
      draftFieldMapChanges: null,
      kinds,
      sources: [],
      dateLayouts,
    };
  const connection = await checkScope(client, chosen);
  const [{ version, mappings, fieldMaps }, draft] = await Promise.all([
    activeValueMaps(chosen, client),
    readDraft(client, chosen),
  ]);
  const sources = sourceRecordsOf(connection.system).map((value) => {
    const { label, fields, attributes } = SOURCE_RECORDS[value];
    return { value, label, fields: [...fields], attributes: [...attributes] };
  });
  return {
    scopes,
    activeVersion: version,
    active: mappings,
    activeFieldMaps: fieldMaps,
    draft,
    draftFieldMapChanges: draft ? diffFieldMaps(fieldMaps, draft.fieldMaps) : null,
    kinds,
    sources,
    dateLayouts,
  };
}

export type SaveMappingDraftResult =
  | { saved: true; changes: number }
  | { saved: false; problems: ValueMapProblem[]; fieldMapProblems: FieldMapRowProblem[] };

/** Every problem of a set of mappings for a connection to `system`; both lists empty when all is well. */
function mappingSetProblems(system: string, set: MappingSet) {
  return { problems: valueMapProblems(set.mappings), fieldMapProblems: fieldMapRowProblems(system, set.fieldMaps) };
}

/** Saves the value and field maps being edited as the scope's draft; a set with any problem is not saved. */
export async function saveMappingDraft(
  tx: Tx,
  scope: MappingScope,
  entries: MappingSet,
  context: AuditContext,
): Promise<SaveMappingDraftResult> {
  const connection = await checkScope(tx, scope);
  const problems = mappingSetProblems(connection.system, entries);
  if (problems.problems.length + problems.fieldMapProblems.length > 0) return { saved: false, ...problems };
  const mappings = sortValueMaps(tidyValueMaps(entries.mappings));
  const fieldMaps = sortFieldMaps(tidyFieldMaps(entries.fieldMaps));
  const { version, mappings: inForce, fieldMaps: fieldMapsInForce } = await activeValueMaps(scope, tx);
  const data = {
    baseVersion: version,
    mappings: mappings as unknown as Prisma.InputJsonValue,
    fieldMaps: fieldMaps as unknown as Prisma.InputJsonValue,
    updatedBy: context.actor.email ?? 'system',
  };
  await tx.fieldMappingDraft.upsert({
    where: { connectionId_legalEntityId: scope },
    create: { ...scope, ...data },
    update: data,
  });
  const changes = diffValueMaps(inForce, mappings);
  const fieldMapChanges = diffFieldMaps(fieldMapsInForce, fieldMaps);
  await appendAuditEvent(tx, {
    ...context,
    action: 'mapping.draft_saved',
    target: targetOf(scope),
    after: { baseVersion: version, changes, fieldMapChanges },
  });
  return { saved: true, changes: changes.length + fieldMapChanges.length };
}

export async function discardMappingDraft(tx: Tx, scope: MappingScope, context: AuditContext) {
  const draft = await readDraft(tx, scope);
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to discard.');
  await tx.fieldMappingDraft.delete({ where: { connectionId_legalEntityId: scope } });
  await appendAuditEvent(tx, {
    ...context,
    action: 'mapping.draft_discarded',
    target: targetOf(scope),
    before: { baseVersion: draft.baseVersion, mappings: draft.mappings, fieldMaps: draft.fieldMaps },
  });
}

export interface PublishedMappings {
  version: number;
  /** Every open exception in the scope's entity of the codes the changed kinds of mapping cause (dry-run a page at a time). */
  affected: { codes: string[]; routines: string[]; exceptionIds: string[] };
}

/** Open exceptions of the scope's legal entity that a change to these kinds of mapping may fix. */
async function affectedExceptions(
  client: Tx,
  scope: MappingScope,
  changes: readonly RowChange<ValueMapRow>[],
  fieldMapChanges: readonly RowChange<FieldMapRow>[],
) {
  const rowOf = <Row>(c: RowChange<Row>) => (c.kind === 'removed' ? c.before : c.after);
  const caused = [
    ...exceptionsCausedBy(changes.map((c) => rowOf(c).kind)),
    ...exceptionsCausedByFieldMaps(fieldMapChanges.map((c) => rowOf(c).source)),
  ];
  const codes = caused.map((c) => c.code);
  const routines = [...new Set(caused.flatMap((c) => c.routines))].sort();
  if (caused.length === 0) return { codes, routines, exceptionIds: [] };
  const open = await client.syncException.findMany({
    where: {
      legalEntityId: scope.legalEntityId,
      status: { in: ['open', 'assigned', 'in_progress'] },
      OR: caused.map(({ code, routines }) => ({ code, routine: { in: routines } })),
    },
    select: { id: true },
    orderBy: [{ firstSeenAt: 'asc' }, { id: 'asc' }],
  });
  return { codes, routines, exceptionIds: open.map((e) => e.id) };
}

async function publish(
  tx: Tx,
  scope: MappingScope,
  { mappings, fieldMaps }: MappingSet,
  reason: string,
  context: AuditContext,
  republished: number | null,
): Promise<PublishedMappings> {
  const note = publishReason(reason);
  // Serialises publishers of one scope: the next version number is read, then written.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`field-mappings:${scope.connectionId}:${scope.legalEntityId}`}))`;
  const { version: current, mappings: inForce, fieldMaps: fieldMapsInForce } = await activeValueMaps(scope, tx);
  const hasVersions = (await tx.fieldMappingVersion.count({ where: scope })) > 0;
  // Mappings seeded before versioning are version 1 without a record of it: give them one, so the
  // history shows what the new version replaced.
  if (!hasVersions) {
    await tx.fieldMappingVersion.create({
      data: { ...scope, version: current, note: 'The mappings in force before the first change in the console' },
    });
  }
  const version = current + 1;
  await tx.fieldMappingVersion.create({
    data: {
      ...scope,
      version,
      note,
      createdBy: context.actor.email ?? null,
      fieldMaps: fieldMaps as unknown as Prisma.InputJsonValue,
    },
  });
  await tx.fieldMapping.createMany({ data: mappings.map((m) => ({ ...scope, version, ...m })) });
  const changes = diffValueMaps(inForce, mappings);
  const fieldMapChanges = diffFieldMaps(fieldMapsInForce, fieldMaps);
  await appendAuditEvent(tx, {
    ...context,
    action: republished === null ? 'mapping.published' : 'mapping.rolled_back',
    target: targetOf(scope),
    before: { version: current, mappings: inForce, fieldMaps: fieldMapsInForce },
    after: {
      version,
      mappings,
      fieldMaps,
      reason: note,
      changes,
      fieldMapChanges,
      ...(republished === null ? {} : { republished }),
    },
  });
  return { version, affected: await affectedExceptions(tx, scope, changes, fieldMapChanges) };
}

/** Publishes the scope's draft as its next version with the reason; the draft is gone afterwards. */
export async function publishMappingDraft(tx: Tx, scope: MappingScope, reason: string, context: AuditContext) {
  const draft = await readDraft(tx, scope);
  if (!draft) throw new AppError('NOT_FOUND', 'There is no draft to publish; edit the mappings first.');
  const connection = await checkScope(tx, scope);
  const current = await activeFieldMappingVersion(scope.connectionId, scope.legalEntityId, tx);
  if (draft.baseVersion !== current) {
    throw new AppError(
      'CONFLICT',
      `The draft was started from version ${draft.baseVersion}, but version ${current} has been published since; edit the draft again and save it.`,
    );
  }
  const { problems, fieldMapProblems } = mappingSetProblems(connection.system, draft);
  if (problems.length + fieldMapProblems.length > 0)
    throw new AppError(
      'BAD_REQUEST',
      `These mappings cannot be published: ${[...problems, ...fieldMapProblems].map((p) => p.message).join(' ')}`,
    );
  const published = await publish(tx, scope, draft, reason, context, null);
  await tx.fieldMappingDraft.delete({ where: { connectionId_legalEntityId: scope } });
  return published;
}

/** Rolls back: publishes an earlier version's mappings again as a new version (versions never change). */
export async function republishMappingVersion(
  tx: Tx,
  scope: MappingScope,
  version: number,
  reason: string,
  context: AuditContext,
) {
  const exists = await tx.fieldMappingVersion.findUnique({
    where: { connectionId_legalEntityId_version: { ...scope, version } },
  });
  if (!exists) throw new AppError('NOT_FOUND', `There is no version ${version} of these mappings.`);
  const [mappings, fieldMaps] = await Promise.all([
    versionRows(tx, scope, version),
    versionFieldMaps(tx, scope, version),
  ]);
  return publish(tx, scope, { mappings, fieldMaps }, reason, context, version);
}

export interface MappingVersionEntry {
  version: number;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string;
  changes: RowChange<ValueMapRow>[];
  fieldMapChanges: RowChange<FieldMapRow>[];
}

/** Every published version of the scope, newest first, each with what it changed against the one before. */
export async function mappingHistory(scope: MappingScope, client: Tx = db()): Promise<MappingVersionEntry[]> {
  const versions = await client.fieldMappingVersion.findMany({ where: scope, orderBy: { version: 'asc' } });
  let previous: ValueMapRow[] = [];
  let previousFieldMaps: FieldMapRow[] = [];
  const entries: MappingVersionEntry[] = [];
  for (const v of versions) {
    const rows = await versionRows(client, scope, v.version);
    const fieldMaps = v.fieldMaps as unknown as FieldMapRow[];
    entries.push({
      version: v.version,
      publishedBy: v.createdBy,
      publishedAt: v.createdAt,
      reason: v.note,
      changes: diffValueMaps(previous, rows),
      fieldMapChanges: diffFieldMaps(previousFieldMaps, fieldMaps),
    });
    previous = rows;
    previousFieldMaps = fieldMaps;
  }
  return entries.reverse();
}

/** The steps above, each in a transaction of its own with its audit event. */
export const mappingGovernance = {
  saveDraft: (scope: MappingScope, entries: MappingSet, context: AuditContext) =>
    db().$transaction((tx) => saveMappingDraft(tx, scope, entries, context)),
  discardDraft: (scope: MappingScope, context: AuditContext) =>
    db().$transaction((tx) => discardMappingDraft(tx, scope, context)),
  publishDraft: (scope: MappingScope, reason: string, context: AuditContext) =>
    db().$transaction((tx) => publishMappingDraft(tx, scope, reason, context)),
  republish: (scope: MappingScope, version: number, reason: string, context: AuditContext) =>
    db().$transaction((tx) => republishMappingVersion(tx, scope, version, reason, context)),
  /** The diff of the saved draft against the mappings in force; null when there is no draft. */
  draftChanges: async (scope: MappingScope) => {
    const draft = await readDraft(db(), scope);
    if (!draft) return null;
    return diffValueMaps((await activeValueMaps(scope)).mappings, draft.mappings);
  },
};
