import { z } from 'zod';
import { db } from '@/server/db/client';
import { Prisma } from '@/server/db/generated/prisma/client';
import { AppError } from '@/server/errors';

import {
  EXCEPTION_AGES,
  EXCEPTION_KINDS,
  EXCEPTION_PRIORITIES,
  EXCEPTION_ROUTINES,
  EXCEPTION_SORTS,
  EXCEPTION_STATUSES,
  EXCEPTION_TEAMS,
} from '@/lib/exception-queue-values';

export { EXCEPTION_PRIORITIES, EXCEPTION_SORTS };

const many = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(20).optional();

/** The queue's filters, as the URL gives them (`assignee` is "me", "unassigned" or a user id). */
export const exceptionFiltersSchema = z.object({
  status: many(z.enum(EXCEPTION_STATUSES)),
  team: many(z.enum(EXCEPTION_TEAMS)),
  assignee: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  code: many(
    z
      .string()
      .trim()
      .regex(/^[A-Z0-9_]{2,60}$/, 'not an exception code'),
  ),
  routine: many(z.enum(EXCEPTION_ROUTINES)),
  legalEntityId: many(z.string().trim().min(1).max(50)),
  kind: z.enum(EXCEPTION_KINDS).optional(),
  priority: many(z.enum(EXCEPTION_PRIORITIES)),
  age: z.enum(EXCEPTION_AGES).optional(),
  overdue: z.boolean().optional(),
  q: z.string().trim().min(2, 'type at least two characters to search').max(200).optional(),
  runId: z.uuid().optional(),
});
export type ExceptionFilters = z.infer<typeof exceptionFiltersSchema>;
export type ExceptionSort = (typeof EXCEPTION_SORTS)[number];

export interface ExceptionRow {
  id: string;
  code: string;
  kind: string;
  routine: string;
  message: string;
  objectType: string;
  externalIds: { system: string; objectType: string; externalId: string }[];
  legalEntityId: string | null;
  amount: string | null;
  currency: string | null;
  team: string;
  assigneeId: string | null;
  assigneeName: string | null;
  priority: string;
  status: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  dueAt: Date | null;
  overdue: boolean;
  occurrences: number;
}

const MESSAGE_CHARS = 160;
const DAY = Prisma.sql`interval '1 day'`;

/** The WHERE clause for a filter; `viewerId` is who "me" is. */
export function exceptionWhere(filters: ExceptionFilters, viewerId: string | null): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  // Enum columns are compared as enums: `status::text` would hide them from their indexes and from
  // the planner's statistics, which then expects a handful of rows and sorts tens of thousands.
  if (filters.status) parts.push(Prisma.sql`e.status = ANY(${filters.status}::"ExceptionStatus"[])`);
  if (filters.team) parts.push(Prisma.sql`e.team = ANY(${filters.team}::"Team"[])`);
  if (filters.assignee === 'unassigned') parts.push(Prisma.sql`e."assigneeId" IS NULL`);
  else if (filters.assignee) {
    const id = filters.assignee === 'me' ? viewerId : filters.assignee;
    if (!id) throw new AppError('BAD_REQUEST', 'Sign in to see the exceptions assigned to you.');
    parts.push(Prisma.sql`e."assigneeId" = ${id}::uuid`);
  }
  if (filters.code) parts.push(Prisma.sql`e.code IN (${Prisma.join(filters.code)})`);
  if (filters.routine) parts.push(Prisma.sql`e.routine = ANY(${filters.routine}::"Routine"[])`);
  if (filters.legalEntityId) parts.push(Prisma.sql`e."legalEntityId" IN (${Prisma.join(filters.legalEntityId)})`);
  if (filters.kind) parts.push(Prisma.sql`e.kind = ${filters.kind}::"ExceptionKind"`);
  if (filters.priority) parts.push(Prisma.sql`e.priority = ANY(${filters.priority}::"Priority"[])`);
  if (filters.age === '1d') parts.push(Prisma.sql`e."firstSeenAt" >= now() - ${DAY}`);
  if (filters.age === '1-7d')
    parts.push(Prisma.sql`e."firstSeenAt" < now() - ${DAY} AND e."firstSeenAt" >= now() - 7 * ${DAY}`);
  if (filters.age === '7-30d')
    parts.push(Prisma.sql`e."firstSeenAt" < now() - 7 * ${DAY} AND e."firstSeenAt" >= now() - 30 * ${DAY}`);
  if (filters.age === '30d+') parts.push(Prisma.sql`e."firstSeenAt" < now() - 30 * ${DAY}`);
  if (filters.overdue === true)
    parts.push(Prisma.sql`(e."dueAt" < now() AND e.status IN ('open', 'assigned', 'in_progress'))`);
  if (filters.overdue === false)
    parts.push(
      Prisma.sql`NOT (e."dueAt" IS NOT NULL AND e."dueAt" < now() AND e.status IN ('open', 'assigned', 'in_progress'))`,
    );
  if (filters.q) {
    // The stored lower-cased text under its trigram index: a common phrase matches thousands of
    // rows, and each is checked with LIKE on one column rather than ILIKE on text built from JSON.
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    parts.push(Prisma.sql`e."searchText" LIKE lower(${pattern})`);
  }
  if (filters.runId)
    // The run's ids as an array, so its sightings drive the query: as a semi-join the planner walks
    // the sort index probing each row, thousands of probes for a run of a thousand exceptions.
    parts.push(
      Prisma.sql`e.id = ANY(ARRAY(SELECT s."exceptionId" FROM "ExceptionSighting" s WHERE s."runId" = ${filters.runId}::uuid))`,
    );
  return parts.length ? Prisma.sql`WHERE ${Prisma.join(parts, ' AND ')}` : Prisma.empty;
}

/**
 * Each sort as a key the keyset compares on, with the id as tie-breaker. Keys never null (a missing
 * due date or amount sorts last), so a page boundary is a plain row comparison.
 */
const SORT_KEYS: Record<ExceptionSort, { key: Prisma.Sql; cast: Prisma.Sql; direction: 'asc' | 'desc' }> = {
  lastSeen: { key: Prisma.sql`e."lastSeenAt"`, cast: Prisma.sql`timestamptz`, direction: 'desc' },
  age: { key: Prisma.sql`e."firstSeenAt"`, cast: Prisma.sql`timestamptz`, direction: 'asc' },
  priority: {
    key: Prisma.sql`(CASE e.priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END)`,
    cast: Prisma.sql`int`,
    direction: 'desc',
  },
  due: {
    key: Prisma.sql`coalesce(e."dueAt", 'infinity'::timestamptz)`,
    cast: Prisma.sql`timestamptz`,
    direction: 'asc',
  },
  amount: { key: Prisma.sql`coalesce(e.amount, '-Infinity'::numeric)`, cast: Prisma.sql`numeric`, direction: 'desc' },
};

const cursorSchema = z.tuple([z.enum(EXCEPTION_SORTS), z.string().max(60), z.uuid()]);

export const exceptionCursorSchema = z.string().max(200);

function encodeCursor(sort: ExceptionSort, key: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, key, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: ExceptionSort): { key: string; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success || result.data[0] !== sort)
    throw new AppError('BAD_REQUEST', 'That page of exceptions no longer exists; reload the list.');
  return { key: result.data[1], id: result.data[2] };
}

type RawRow = Omit<ExceptionRow, 'amount' | 'overdue' | 'externalIds'> & {
  amount: Prisma.Decimal | null;
  externalIds: unknown;
  overdue: boolean;
  sortKey: string;
};

/** One page of the queue, keyset-paginated on the sort key and id. */
export async function listExceptions(options: {
  filters: ExceptionFilters;
  viewerId: string | null;
  sort?: ExceptionSort;
  cursor?: string;
  limit: number;
}): Promise<{ items: ExceptionRow[]; nextCursor: string | null }> {
  const sort = options.sort ?? 'lastSeen';
  const { key, cast, direction } = SORT_KEYS[sort];
  const where = exceptionWhere(options.filters, options.viewerId);
  let page = Prisma.empty;
  if (options.cursor) {
    const after = decodeCursor(options.cursor, sort);
    const op = direction === 'desc' ? Prisma.sql`<` : Prisma.sql`>`;
    page = Prisma.sql`${where === Prisma.empty ? Prisma.sql`WHERE` : Prisma.sql`AND`} (${key}, e.id) ${op} (${after.key}::${cast}, ${after.id}::uuid)`;
  }
  const order = direction === 'desc' ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const rows = await db().$queryRaw<RawRow[]>`
    SELECT e.id::text, e.code, e.kind::text, e.routine::text, left(e.message, ${MESSAGE_CHARS}) AS message,
      e."objectType", e."externalIds", e."legalEntityId", e.amount, e.currency, e.team::text,
      e."assigneeId"::text, coalesce(u.name, u.email) AS "assigneeName", e.priority::text, e.status::text,
      e."firstSeenAt", e."lastSeenAt", e."dueAt", e.occurrences,
      (e."dueAt" < now() AND e.status IN ('open', 'assigned', 'in_progress')) IS TRUE AS overdue,
      (${key})::text AS "sortKey"
    FROM "SyncException" e
    LEFT JOIN "User" u ON u.id = e."assigneeId"
    ${where} ${page}
    ORDER BY ${key} ${order}, e.id ${order}
    LIMIT ${options.limit + 1}`;
  const items = rows.slice(0, options.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ sortKey: _sortKey, ...row }) => ({
      ...row,
      amount: row.amount === null ? null : row.amount.toString(),
      externalIds: Array.isArray(row.externalIds) ? (row.externalIds as ExceptionRow['externalIds']) : [],
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor(sort, last.sortKey, last.id) : null,
  };
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface ExceptionFacets {
  total: number;
  overdue: number;
  unassigned: number;
  status: FacetCount[];
  team: FacetCount[];
  code: FacetCount[];
  routine: FacetCount[];
  legalEntityId: FacetCount[];
  kind: FacetCount[];
  priority: FacetCount[];
}

const FACET_FIELDS = ['status', 'team', 'code', 'routine', 'legalEntityId', 'kind', 'priority'] as const;

/** How many exceptions of the current filter carry each value, in one pass over the matching rows. */
export async function exceptionFacets(options: {
  filters: ExceptionFilters;
  viewerId: string | null;
}): Promise<ExceptionFacets> {
  const where = exceptionWhere(options.filters, options.viewerId);
  const rows = await db().$queryRaw<
    {
      status: string | null;
      team: string | null;
      code: string | null;
      routine: string | null;
      legalEntityId: string | null;
      kind: string | null;
      priority: string | null;
      set: number;
      n: bigint;
      overdue: bigint;
      unassigned: bigint;
    }[]
  >`
    SELECT status::text, team::text, code, routine::text, "legalEntityId", kind::text, priority::text,
      GROUPING(status, team, code, routine, "legalEntityId", kind, priority) AS set,
      coalesce(sum(n), 0)::bigint AS n,
      coalesce(sum(overdue), 0)::bigint AS overdue,
      coalesce(sum(unassigned), 0)::bigint AS unassigned
    FROM (
      -- One hash lookup per matching row on all seven columns; the grouping sets then add up a few
      -- hundred groups instead of hashing every row seven times.
      SELECT e.status, e.team, e.code, e.routine, e."legalEntityId", e.kind, e.priority,
        count(*) AS n,
        count(*) FILTER (WHERE e."dueAt" < now() AND e.status IN ('open', 'assigned', 'in_progress')) AS overdue,
        count(*) FILTER (WHERE e."assigneeId" IS NULL) AS unassigned
      FROM "SyncException" e
      ${where}
      GROUP BY e.status, e.team, e.code, e.routine, e."legalEntityId", e.kind, e.priority
    ) g
    GROUP BY GROUPING SETS ((), (status), (team), (code), (routine), ("legalEntityId"), (kind), (priority))`;
  const facets: ExceptionFacets = {
    total: 0,
    overdue: 0,
    unassigned: 0,
    status: [],
    team: [],
    code: [],
    routine: [],
    legalEntityId: [],
    kind: [],
    priority: [],
  };
  // GROUPING() sets one bit per column left out of the group, the first column the highest bit.
  const all = (1 << FACET_FIELDS.length) - 1;
  for (const row of rows) {
    if (row.set === all) {
      facets.total = Number(row.n);
      facets.overdue = Number(row.overdue);
      facets.unassigned = Number(row.unassigned);
      continue;
    }
    FACET_FIELDS.forEach((field, i) => {
      const bit = 1 << (FACET_FIELDS.length - 1 - i);
      if ((row.set & bit) === 0) facets[field].push({ value: row[field] ?? '', count: Number(row.n) });
    });
  }
  for (const field of FACET_FIELDS) facets[field].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return facets;
}

/** The ids matching a filter, for bulk work on "all N matching" (capped: a bulk job has a size). */
export async function matchingExceptionIds(options: {
  filters: ExceptionFilters;
  viewerId: string | null;
  max: number;
}): Promise<string[]> {
  const where = exceptionWhere(options.filters, options.viewerId);
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT e.id::text FROM "SyncException" e ${where} ORDER BY e."lastSeenAt" DESC, e.id DESC LIMIT ${options.max + 1}`;
  if (rows.length > options.max)
    throw new AppError(
      'BAD_REQUEST',
      `More than ${options.max.toLocaleString('en')} exceptions match this filter; narrow it before working on all of them.`,
    );
  return rows.map((r) => r.id);
}
