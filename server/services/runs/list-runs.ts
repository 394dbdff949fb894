import { z } from 'zod';
import { db } from '@/server/db/client';
import type { Prisma, SyncRun } from '@/server/db/generated/prisma/client';
import { ROUTINE_FACTS, ROUTINES, type RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';
import { RUN_TRIGGERS, type RunTrigger } from '@/server/sync/run-types';
import { RUN_STATUSES, routineNameSchema, runStatusSchema, runTriggerSchema, type RunStatus } from './run-schemas';

/** The filters of the Sync runs page, as they appear in its URL. */
export const runFiltersSchema = z.object({
  routine: routineNameSchema.optional(),
  legalEntityId: z.string().trim().min(1).max(50).optional(),
  status: runStatusSchema.optional(),
  trigger: runTriggerSchema.optional(),
  /** Only what needs a look: runs with exceptions or errors, running ones, and the latest run of each routine × entity. */
  attention: z.boolean().optional(),
});
export type RunFilters = z.infer<typeof runFiltersSchema>;

export interface RunView {
  id: string;
  routine: RoutineName;
  routineLabel: string;
  connectionId: string;
  /** Null when the connection has since been deleted. */
  connectionName: string | null;
  legalEntityId: string;
  legalEntityName: string | null;
  trigger: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  recordsRead: number;
  /** Batches committed so far. */
  batches: number;
  delivered: number;
  noop: number;
  exceptions: number;
  /** now − the newest source change the run reached, when it read anything. */
  lagSeconds: number | null;
  error: string | null;
}

// The cursor is the last row's (startedAt, id): runs sort on both, so pages neither skip nor
// repeat rows when several runs start in the same millisecond or new runs arrive meanwhile.
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/;

export const runCursorSchema = z.string().regex(CURSOR, 'not a page cursor');

function cursorOf(run: { startedAt: Date; id: string }): string {
  return `${run.startedAt.toISOString()}_${run.id}`;
}

function afterCursor(cursor: string): Prisma.SyncRunWhereInput {
  const match = CURSOR.exec(cursor);
  if (!match) throw new AppError('BAD_REQUEST', 'That page of runs no longer exists; reload the list.');
  const startedAt = new Date(match[1]!);
  return { OR: [{ startedAt: { lt: startedAt } }, { startedAt, id: { lt: match[2]! } }] };
}

/** Newest first, keyset-paginated, with each run's connection and legal entity by name. */
export async function listRuns(options: {
  filters: RunFilters;
  cursor?: string;
  limit: number;
}): Promise<{ items: RunView[]; nextCursor: string | null }> {
  const { filters } = options;
  const where: Prisma.SyncRunWhereInput = {
    AND: options.cursor ? [afterCursor(options.cursor)] : [],
    ...(filters.routine ? { routine: filters.routine } : {}),
    ...(filters.legalEntityId ? { legalEntityId: filters.legalEntityId } : {}),
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.trigger ? { trigger: filters.trigger } : {}),
    ...(filters.attention ? { OR: await needsAttention() } : {}),
  };
  const rows = await db().syncRun.findMany({
    where,
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  return {
    items: await toViews(page),
    nextCursor: rows.length > options.limit ? cursorOf(page.at(-1)!) : null,
  };
}

/** The runs with these ids (those that exist), as the list shows them. */
export async function listRunsByIds(ids: string[]): Promise<RunView[]> {
  const uuids = ids.filter((id) => UUID.test(id));
  if (uuids.length === 0) return [];
  return toViews(await db().syncRun.findMany({ where: { id: { in: uuids } } }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function toViews(page: SyncRun[]): Promise<RunView[]> {
  const [connections, entities] = await Promise.all([
    db().connection.findMany({
      where: { id: { in: [...new Set(page.map((r) => r.connectionId))] } },
      select: { id: true, name: true },
    }),
    db().legalEntity.findMany({ select: { id: true, name: true } }),
  ]);
  const connectionName = new Map(connections.map((c) => [c.id, c.name]));
  const entityName = new Map(entities.map((e) => [e.id, e.name]));
  return page.map((run) => ({
    id: run.id,
    routine: run.routine,
    routineLabel: ROUTINE_FACTS[run.routine].label,
    connectionId: run.connectionId,
    connectionName: connectionName.get(run.connectionId) ?? null,
    legalEntityId: run.legalEntityId,
    legalEntityName: entityName.get(run.legalEntityId) ?? null,
    trigger: run.trigger,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    recordsRead: run.recordsRead,
    batches: run.batches,
    delivered: run.delivered,
    noop: run.noop,
    exceptions: run.exceptions,
    lagSeconds: run.lagSeconds,
    error: run.error,
  }));
}

/** Runs a person should see first: held exceptions, failed or still running, or the latest of their routine × entity. */
async function needsAttention(): Promise<Prisma.SyncRunWhereInput[]> {
  const latest = await db().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON (routine, "legalEntityId") id::text AS id FROM "SyncRun"
    ORDER BY routine, "legalEntityId", "startedAt" DESC, id DESC`;
  return [
    { exceptions: { gt: 0 } },
    { status: { in: ['failed', 'running'] } },
    { error: { not: null } },
    { id: { in: latest.map((row) => row.id) } },
  ];
}

export interface RunFacets {
  routines: { value: RoutineName; label: string }[];
  legalEntities: { value: string; label: string }[];
  statuses: RunStatus[];
  triggers: RunTrigger[];
}

/** What the page's filter menus offer. */
export async function runFacets(): Promise<RunFacets> {
  const entities = await db().legalEntity.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } });
  return {
    routines: ROUTINES.map((value) => ({ value, label: ROUTINE_FACTS[value].label })),
    legalEntities: entities.map((e) => ({ value: e.id, label: `${e.id} · ${e.name}` })),
    statuses: [...RUN_STATUSES],
    triggers: [...RUN_TRIGGERS],
  };
}
