import { z } from 'zod';
import { db } from '@/server/db/client';
import type { Prisma } from '@/server/db/generated/prisma/client';
import { SYNC_ACTOR } from './audit-context';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'not a date');

/** The filters of the audit log page, as they appear in its URL. Dates are whole UTC days. */
export const auditFiltersSchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(100).optional(),
  targetId: z.string().trim().max(200).optional(),
  from: day.optional(),
  to: day.optional(),
  /** Whose actions: people's, the sync's own writes to target systems, or both (the default). */
  source: z.enum(['people', 'system', 'all']).optional(),
});
export type AuditFilters = z.infer<typeof auditFiltersSchema>;

export interface AuditEventView {
  id: string;
  occurredAt: Date;
  actorEmail: string | null;
  action: string;
  /** The target by name where it is one of ours (a user's email, a connection's name). */
  targetLabel: string | null;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
  hash: string;
}

function whereFor(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const occurredAt: Prisma.DateTimeFilter = {};
  if (filters.from) occurredAt.gte = new Date(`${filters.from}T00:00:00Z`);
  if (filters.to) occurredAt.lt = new Date(Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000);
  return {
    ...(filters.actor ? { actorEmail: { contains: filters.actor, mode: 'insensitive' } } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.targetId ? { targetId: filters.targetId } : {}),
    ...(filters.from || filters.to ? { occurredAt } : {}),
    ...(filters.source === 'system' ? { actorEmail: SYNC_ACTOR.email } : {}),
    // Events without an actor (a failed sign-in, say) are people's doing, not the sync's.
    ...(filters.source === 'people' ? { OR: [{ actorEmail: null }, { actorEmail: { not: SYNC_ACTOR.email } }] } : {}),
  };
}

/** Newest first, keyset-paginated on id so pages stay fast and stable while events arrive. */
export async function listAuditEvents(options: {
  filters: AuditFilters;
  cursor?: string;
  limit: number;
}): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
  const rows = await db().auditEvent.findMany({
    where: { ...whereFor(options.filters), ...(options.cursor ? { id: { lt: BigInt(options.cursor) } } : {}) },
    orderBy: { id: 'desc' },
    take: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const labels = await targetLabels(page);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      occurredAt: row.occurredAt,
      actorEmail: row.actorEmail,
      action: row.action,
      targetType: row.targetType,
      targetId: row.targetId,
      targetLabel: row.targetId ? (labels.get(`${row.targetType}:${row.targetId}`) ?? null) : null,
      before: row.before,
      after: row.after,
      requestId: row.requestId,
      ip: row.ip,
      hash: row.hash,
    })),
    nextCursor: rows.length > options.limit ? page.at(-1)!.id.toString() : null,
  };
}

/** Names for the page's targets that are our own records, read in one query per kind. */
async function targetLabels(rows: { targetType: string | null; targetId: string | null }[]) {
  const idsOf = (type: string) => [
    ...new Set(
      rows.filter((r) => r.targetType === type && r.targetId && UUID.test(r.targetId)).map((r) => r.targetId!),
    ),
  ];
  const [users, connections] = await Promise.all([
    db().user.findMany({ where: { id: { in: idsOf('User') } }, select: { id: true, email: true, name: true } }),
    db().connection.findMany({ where: { id: { in: idsOf('Connection') } }, select: { id: true, name: true } }),
  ]);
  return new Map<string, string>([
    ...users.map((u) => [`User:${u.id}`, `${u.name} (${u.email})`] as const),
    ...connections.map((c) => [`Connection:${c.id}`, c.name] as const),
  ]);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The actions and target types the log holds, for the filters. Each is read by skipping from one
 * value to the next along its index, so the cost grows with the number of distinct values, not
 * with the log (Prisma's `distinct` would fetch every row and deduplicate them in memory).
 */
export async function auditFacets(): Promise<{ actions: string[]; targetTypes: string[] }> {
  const [actions, targetTypes] = await Promise.all([
    db().$queryRaw<{ value: string }[]>`
      WITH RECURSIVE v AS (
        (SELECT action AS value FROM "AuditEvent" ORDER BY action LIMIT 1)
        UNION ALL
        SELECT (SELECT action FROM "AuditEvent" WHERE action > v.value ORDER BY action LIMIT 1) FROM v WHERE v.value IS NOT NULL
      ) SELECT value FROM v WHERE value IS NOT NULL`,
    db().$queryRaw<{ value: string }[]>`
      WITH RECURSIVE v AS (
        (SELECT "targetType" AS value FROM "AuditEvent" WHERE "targetType" IS NOT NULL ORDER BY "targetType" LIMIT 1)
        UNION ALL
        SELECT (SELECT "targetType" FROM "AuditEvent" WHERE "targetType" > v.value ORDER BY "targetType" LIMIT 1)
        FROM v WHERE v.value IS NOT NULL
      ) SELECT value FROM v WHERE value IS NOT NULL`,
  ]);
  return { actions: actions.map((a) => a.value), targetTypes: targetTypes.map((t) => t.value) };
}
