import type { Prisma } from '@/server/db/generated/prisma/client';
import { driverPool, driverTransaction, type RawSql } from '@/server/db/driver';
import type { ExternalRef, SystemName } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';
import { appendAuditEvents, type AuditEntry } from '@/server/services/audit/append-audit-event';
import type { RoutineRunPayload } from '@/server/jobs/routine-run-spec';
import { requestRun } from '@/server/services/runs/request-run';
import { raiseExceptions, type RaiseExceptionInput } from '@/server/services/exceptions/raise-exception';
import { settleExceptions } from '@/server/services/exceptions/settle-exceptions';
import { BillableWorkChanges } from './billable-work';

export type Outcome = 'delivered' | 'noop' | 'exception';

export interface LedgerRow {
  routine: RoutineName;
  runId: string | null;
  correlationId: string;
  traceKey?: string | null;
  source: { system: SystemName; objectType: string; externalId: string; changedAt: string | null };
  target?: { system: SystemName; objectType: string; externalId: string | null };
  canonicalId?: string | null;
  step: 'map' | 'validate' | 'ownership' | 'plan' | 'deliver' | 'record';
  outcome: Outcome;
  reason?: string | null;
  idempotencyKey?: string | null;
  ruleVersion?: number | null;
  startedAt: Date;
  /** A no-op because every write the record asks for was made before (by a run or a replay), as
   *  opposed to one it asks for none of. Not stored: it tells which records went through. */
  alreadyDelivered?: boolean;
}

export interface DeliveredWrite {
  idempotencyKey: string;
  targetId: string;
  canonicalType: string;
  canonicalId: string;
  ref: ExternalRef;
  audit: AuditEntry;
}

/**
 * Everything one batch decided, written in a single transaction at the end of the batch: ledger
 * rows, identity links, canonical snapshots, billable work, deliveries, outbox events, audit entries,
 * exceptions raised and settled, follow-up jobs and the watermark. A crash before the commit
 * loses none of it that matters: the records are read again from the unmoved watermark and every
 * write re-derives the same idempotency key.
 */
export class BatchJournal {
  readonly ledger: LedgerRow[] = [];
  readonly delivered: DeliveredWrite[] = [];
  readonly exceptions: RaiseExceptionInput[] = [];
  readonly canonical = new Map<string, Prisma.CanonicalRecordCreateManyInput>();
  readonly outbox: Prisma.OutboxEventCreateManyInput[] = [];
  /** Billing's approved work seen, billed or withdrawn: the unbilled-work figures. */
  readonly work = new BillableWorkChanges();
  /** Runs that depend on what this batch delivered, requested in its transaction. */
  readonly runs = new Map<string, RoutineRunPayload>();
  /** The run the batch belongs to, and how many records the source returned for it: the run counts
   *  records read from the source's pages, so one left without an outcome cannot go unseen. `batches`
   *  is 1 for a source page (the run's progress), 0 for the run's closing settle step. */
  run: { id: string; recordsRead: number; batches: 0 | 1 } | null = null;
  watermark: {
    routine: RoutineName;
    connectionId: string;
    legalEntityId: string;
    cursor: string | null;
    sourceTime: Date | null;
  } | null = null;

  counts(): Record<Outcome, number> {
    const counts = { delivered: 0, noop: 0, exception: 0 };
    for (const row of this.ledger) counts[row.outcome] += 1;
    return counts;
  }

  /** Commits the batch in one transaction through the driver; a try PostgreSQL ends to break a
   *  deadlock (batches of several runs touching the same unbilled days at once) is made again. */
  async commit(pool = driverPool()): Promise<void> {
    await driverTransaction(pool, (sql) => this.write(sql));
  }

  /**
   * Each kind of row goes in as one statement over arrays (unnest), not one row or one generated
   * multi-row statement per batch: a batch is hundreds of rows, and per-row round trips and the
   * ORM's per-row query building were most of the engine's cost beside the target's own time.
   */
  private async write(tx: RawSql): Promise<void> {
    const finishedAt = new Date();
    if (this.delivered.length) {
      await tx.$executeRaw`
        UPDATE "Delivery" AS d SET status = 'delivered', "targetId" = v.target_id, "deliveredAt" = ${finishedAt}
        FROM unnest(${this.delivered.map((d) => d.idempotencyKey)}::text[], ${this.delivered.map((d) => d.targetId)}::text[])
          AS v(key, target_id)
        WHERE d."idempotencyKey" = v.key`;
      await tx.$executeRaw`
        INSERT INTO "ExternalRef" ("canonicalType", "canonicalId", system, "objectType", "externalId")
        SELECT v.canonical_type, v.canonical_id::uuid, v.system::"SystemName", v.object_type, v.external_id
        FROM unnest(
          ${this.delivered.map((d) => d.canonicalType)}::text[],
          ${this.delivered.map((d) => d.canonicalId)}::text[],
          ${this.delivered.map((d) => d.ref.system)}::text[],
          ${this.delivered.map((d) => d.ref.objectType)}::text[],
          ${this.delivered.map((d) => d.ref.externalId)}::text[]
        ) AS v(canonical_type, canonical_id, system, object_type, external_id)
        ON CONFLICT DO NOTHING`;
      await appendAuditEvents(
        tx,
        this.delivered.map((d) => d.audit),
      );
    }
    if (this.canonical.size) {
      const records = [...this.canonical.values()];
      await tx.$executeRaw`
        INSERT INTO "CanonicalRecord" (id, type, "legalEntityId", "schemaVersion", "contentHash", data, "updatedAt")
        SELECT v.id::uuid, v.type, v.legal_entity_id, v.schema_version, v.content_hash, v.data::jsonb, ${finishedAt}::timestamptz
        FROM unnest(
          ${records.map((r) => r.id)}::text[],
          ${records.map((r) => r.type)}::text[],
          ${records.map((r) => r.legalEntityId)}::text[],
          ${records.map((r) => r.schemaVersion)}::int[],
          ${records.map((r) => r.contentHash)}::text[],
          ${records.map((r) => JSON.stringify(r.data))}::text[]
        ) AS v(id, type, legal_entity_id, schema_version, content_hash, data)
        ON CONFLICT (id) DO UPDATE SET
          type = EXCLUDED.type,
          "legalEntityId" = EXCLUDED."legalEntityId",
          "schemaVersion" = EXCLUDED."schemaVersion",
          "contentHash" = EXCLUDED."contentHash",
          data = EXCLUDED.data,
          "updatedAt" = EXCLUDED."updatedAt"`;
    }
    if (this.work.size) await this.work.write(tx, finishedAt);
    if (this.ledger.length) {
      const rows = this.ledger;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" (
          "runId", routine, "correlationId", "traceKey", "sourceSystem", "sourceType", "sourceId", "sourceChangedAt",
          "targetSystem", "targetType", "targetId", "canonicalId", step, outcome, reason, "idempotencyKey",
          "ruleVersion", "startedAt", "finishedAt")
        SELECT v.run_id::uuid, v.routine::"Routine", v.correlation_id::uuid, v.trace_key::uuid, v.source_system::"SystemName", v.source_type,
          v.source_id, v.source_changed_at::timestamptz, v.target_system::"SystemName", v.target_type, v.target_id,
          v.canonical_id::uuid, v.step, v.outcome, v.reason, v.idempotency_key, v.rule_version, v.started_at::timestamptz,
          ${finishedAt}::timestamptz
        FROM unnest(
          ${rows.map((r) => r.runId)}::text[],
          ${rows.map((r) => r.routine)}::text[],
          ${rows.map((r) => r.correlationId)}::text[],
          ${rows.map((r) => r.traceKey ?? null)}::text[],
          ${rows.map((r) => r.source.system)}::text[],
          ${rows.map((r) => r.source.objectType)}::text[],
          ${rows.map((r) => r.source.externalId)}::text[],
          ${rows.map((r) => (r.source.changedAt ? new Date(r.source.changedAt).toISOString() : null))}::text[],
          ${rows.map((r) => r.target?.system ?? null)}::text[],
          ${rows.map((r) => r.target?.objectType ?? null)}::text[],
          ${rows.map((r) => r.target?.externalId ?? null)}::text[],
          ${rows.map((r) => r.canonicalId ?? null)}::text[],
          ${rows.map((r) => r.step)}::text[],
          ${rows.map((r) => r.outcome)}::text[],
          ${rows.map((r) => r.reason ?? null)}::text[],
          ${rows.map((r) => r.idempotencyKey ?? null)}::text[],
          ${rows.map((r) => r.ruleVersion ?? null)}::int[],
          ${rows.map((r) => r.startedAt.toISOString())}::text[]
        ) AS v(run_id, routine, correlation_id, trace_key, source_system, source_type, source_id, source_changed_at, target_system,
          target_type, target_id, canonical_id, step, outcome, reason, idempotency_key, rule_version, started_at)`;
    }
    if (this.outbox.length) {
      const events = this.outbox;
      await tx.$executeRaw`
        INSERT INTO "OutboxEvent" (type, "canonicalType", "canonicalId", "correlationId", payload, "createdAt", "publishedAt")
        SELECT v.type, v.canonical_type, v.canonical_id::uuid, v.correlation_id::uuid, v.payload::jsonb,
          coalesce(v.created_at::timestamptz, ${finishedAt}), v.published_at::timestamptz
        FROM unnest(
          ${events.map((e) => e.type)}::text[],
          ${events.map((e) => e.canonicalType)}::text[],
          ${events.map((e) => e.canonicalId)}::text[],
          ${events.map((e) => e.correlationId)}::text[],
          ${events.map((e) => JSON.stringify(e.payload))}::text[],
          ${events.map((e) => (e.createdAt ? new Date(e.createdAt).toISOString() : null))}::text[],
          ${events.map((e) => (e.publishedAt ? new Date(e.publishedAt).toISOString() : null))}::text[]
        ) AS v(type, canonical_type, canonical_id, correlation_id, payload, created_at, published_at)`;
    }
    if (this.exceptions.length) {
      await raiseExceptions(tx, this.exceptions);
    }
    for (const run of this.runs.values()) await requestRun(tx, run);
    const runId = this.run?.id ?? this.ledger[0]?.runId;
    if (runId) {
      // A run that takes a record through settles what was held for it (a replay resolves its own).
      const through = this.ledger.filter((row) => row.outcome === 'delivered' || row.alreadyDelivered);
      await settleExceptions(
        tx,
        runId,
        through.map((row) => ({ routine: row.routine, source: row.source })),
      );
    }
    if (this.run) {
      const counts = this.counts();
      await tx.$executeRaw`
        UPDATE "SyncRun" SET "recordsRead" = "recordsRead" + ${this.run.recordsRead}, delivered = delivered + ${counts.delivered},
          noop = noop + ${counts.noop}, exceptions = exceptions + ${counts.exception}, batches = batches + ${this.run.batches}
        WHERE id = ${this.run.id}::uuid`;
    }
    if (this.watermark) {
      const w = this.watermark;
      await tx.$executeRaw`
        INSERT INTO "Watermark" (routine, "connectionId", "legalEntityId", cursor, "sourceTime", "updatedAt")
        VALUES (${w.routine}::"Routine", ${w.connectionId}::uuid, ${w.legalEntityId}, ${w.cursor}, ${w.sourceTime}, ${finishedAt})
        ON CONFLICT (routine, "connectionId", "legalEntityId") DO UPDATE SET
          cursor = EXCLUDED.cursor, "sourceTime" = EXCLUDED."sourceTime", "updatedAt" = EXCLUDED."updatedAt"`;
    }
  }
}
