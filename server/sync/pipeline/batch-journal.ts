import type { Prisma } from '@/server/db/generated/prisma/client';
import { db, type Tx } from '@/server/db/client';
import type { ExternalRef, SystemName } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';
import { appendAuditEvents, type AuditEntry } from '@/server/services/audit/append-audit-event';
import { raiseException, type RaiseExceptionInput } from '@/server/services/exceptions/raise-exception';

export type Outcome = 'delivered' | 'noop' | 'exception';

export interface LedgerRow {
  routine: RoutineName;
  runId: string | null;
  correlationId: string;
  source: { system: SystemName; objectType: string; externalId: string; changedAt: string | null };
  target?: { system: SystemName; objectType: string; externalId: string | null };
  canonicalId?: string | null;
  step: 'map' | 'validate' | 'ownership' | 'plan' | 'deliver' | 'record';
  outcome: Outcome;
  reason?: string | null;
  idempotencyKey?: string | null;
  ruleVersion?: number | null;
  startedAt: Date;
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
 * rows, identity links, canonical snapshots, deliveries, outbox events, audit entries,
 * exceptions, follow-up jobs and the watermark. A crash before the commit loses none of it
 * that matters: the records are read again from the unmoved watermark and every write re-derives
 * the same idempotency key.
 */
export class BatchJournal {
  readonly ledger: LedgerRow[] = [];
  readonly delivered: DeliveredWrite[] = [];
  readonly exceptions: RaiseExceptionInput[] = [];
  readonly canonical = new Map<string, Prisma.CanonicalRecordCreateManyInput>();
  readonly outbox: Prisma.OutboxEventCreateManyInput[] = [];
  readonly jobs: { task: string; payload: unknown; jobKey?: string }[] = [];
  watermark: { routine: RoutineName; connectionId: string; legalEntityId: string; cursor: string | null; sourceTime: Date | null } | null =
    null;

  counts(): Record<Outcome, number> {
    const counts = { delivered: 0, noop: 0, exception: 0 };
    for (const row of this.ledger) counts[row.outcome] += 1;
    return counts;
  }

  async commit(client = db()): Promise<void> {
    await client.$transaction(
      async (tx) => {
        await this.write(tx);
      },
      { timeout: 60_000 },
    );
  }

  private async write(tx: Tx): Promise<void> {
    const finishedAt = new Date();
    if (this.delivered.length) {
      await tx.$executeRaw`
        UPDATE "Delivery" AS d SET status = 'delivered', "targetId" = v.target_id, "deliveredAt" = ${finishedAt}
        FROM unnest(${this.delivered.map((d) => d.idempotencyKey)}::text[], ${this.delivered.map((d) => d.targetId)}::text[])
          AS v(key, target_id)
        WHERE d."idempotencyKey" = v.key`;
      await tx.externalRef.createMany({
        data: this.delivered.map((d) => ({ canonicalType: d.canonicalType, canonicalId: d.canonicalId, ...d.ref })),
        skipDuplicates: true,
      });
      await appendAuditEvents(tx, this.delivered.map((d) => d.audit));
    }
    for (const record of this.canonical.values()) {
      await tx.canonicalRecord.upsert({ where: { id: record.id }, create: record, update: record });
    }
    if (this.ledger.length) {
      await tx.ledgerEntry.createMany({
        data: this.ledger.map((row) => ({
          runId: row.runId,
          routine: row.routine,
          correlationId: row.correlationId,
          sourceSystem: row.source.system,
          sourceType: row.source.objectType,
          sourceId: row.source.externalId,
          sourceChangedAt: row.source.changedAt ? new Date(row.source.changedAt) : null,
          targetSystem: row.target?.system ?? null,
          targetType: row.target?.objectType ?? null,
          targetId: row.target?.externalId ?? null,
          canonicalId: row.canonicalId ?? null,
          step: row.step,
          outcome: row.outcome,
          reason: row.reason ?? null,
          idempotencyKey: row.idempotencyKey ?? null,
          ruleVersion: row.ruleVersion ?? null,
          startedAt: row.startedAt,
          finishedAt,
        })),
      });
    }
    if (this.outbox.length) await tx.outboxEvent.createMany({ data: this.outbox });
    for (const exception of this.exceptions) await raiseException(tx, exception);
    for (const job of this.jobs) {
      await tx.$executeRaw`SELECT graphile_worker.add_job(${job.task}, ${JSON.stringify(job.payload)}::json, job_key => ${job.jobKey ?? null})`;
    }
    const runId = this.ledger[0]?.runId;
    if (runId) {
      const counts = this.counts();
      await tx.syncRun.update({
        where: { id: runId },
        data: {
          recordsRead: { increment: this.ledger.length },
          delivered: { increment: counts.delivered },
          noop: { increment: counts.noop },
          exceptions: { increment: counts.exception },
        },
      });
    }
    if (this.watermark) {
      const w = this.watermark;
      await tx.watermark.upsert({
        where: { routine_connectionId_legalEntityId: { routine: w.routine, connectionId: w.connectionId, legalEntityId: w.legalEntityId } },
        create: w,
        update: { cursor: w.cursor, sourceTime: w.sourceTime },
      });
    }
  }
}
