import { createHash } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import type { Tx } from '@/server/db/client';
import type { RawSql } from '@/server/db/driver';

export const GENESIS_HASH = '0'.repeat(64);
// Appends take this transaction-scoped lock, so two writers can never chain onto the same row.
const AUDIT_CHAIN_LOCK = 727_410_002;

export interface AuditActor {
  id: string | null;
  email: string | null;
}

export interface AuditEntry {
  actor: AuditActor | null;
  action: string;
  target?: { type: string; id: string | null } | null;
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  ip?: string | null;
}

/** The fields a row's hash covers, in the form they are stored and read back. */
export interface AuditContent {
  occurredAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** JSON round trip: what is hashed is exactly what jsonb gives back (dates become strings). */
function asStoredJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends one event to the audit chain, inside the caller's transaction, so the record and the
 * change it describes commit or roll back together.
 */
export async function appendAuditEvent(tx: Tx, entry: AuditEntry): Promise<{ hash: string }> {
  const [hash] = await appendAuditEvents(tx, [entry]);
  return { hash: hash! };
}

/** Appends several events in order under one lock (the sync records a whole batch of writes). */
export async function appendAuditEvents(tx: RawSql, entries: readonly AuditEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK}::bigint)`;
  const [last] = await tx.$queryRaw<{ hash: string }[]>`SELECT hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1`;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const occurredAt = new Date().toISOString();
  const rows = entries.map((entry) => {
    const content: AuditContent = {
      occurredAt,
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      before: asStoredJson(entry.before),
      after: asStoredJson(entry.after),
      requestId: entry.requestId ?? null,
      ip: entry.ip ?? null,
    };
    const hash = auditHash(prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  // One statement over arrays, in array order, so ids follow the chain (a sync batch appends
  // hundreds of events; building them row by row through the ORM cost more than the insert).
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await tx.$executeRaw`
    INSERT INTO "AuditEvent" ("occurredAt", "actorId", "actorEmail", action, "targetType", "targetId", before, after, "requestId", ip, "prevHash", hash)
    SELECT v.occurred_at::timestamptz, v.actor_id::uuid, v.actor_email, v.action, v.target_type, v.target_id, v.before::jsonb, v.after::jsonb,
      v.request_id, v.ip, v.prev_hash, v.hash
    FROM unnest(
      ${rows.map((r) => r.occurredAt)}::text[],
      ${rows.map((r) => r.actorId)}::text[],
      ${rows.map((r) => r.actorEmail)}::text[],
      ${rows.map((r) => r.action)}::text[],
      ${rows.map((r) => r.targetType)}::text[],
      ${rows.map((r) => r.targetId)}::text[],
      ${rows.map((r) => json(r.before))}::text[],
      ${rows.map((r) => json(r.after))}::text[],
      ${rows.map((r) => r.requestId)}::text[],
      ${rows.map((r) => r.ip)}::text[],
      ${rows.map((r) => r.prevHash)}::text[],
      ${rows.map((r) => r.hash)}::text[]
    ) WITH ORDINALITY AS v(occurred_at, actor_id, actor_email, action, target_type, target_id, before, after, request_id, ip, prev_hash, hash, n)
    ORDER BY v.n`;
  return rows.map((r) => r.hash);
}
