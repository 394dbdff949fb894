import type { RawSql } from '@/server/db/driver';

/** One piece of approved, billable work as billing read it. */
export interface BillableWorkEntry {
  canonicalId: string;
  legalEntityId: string;
  sourceType: string;
  sourceId: string;
  projectId: string | null;
  traceKey: string | null;
  /** Decimal string; null when the work could not be priced. */
  amount: string | null;
  currency: string;
  /** YYYY-MM-DD */
  workDate: string;
}

/**
 * What a billing batch learned about approved work — seen (priced or not), billed, no longer
 * billable — written with the batch, so the unbilled figures move in the same transaction as
 * the deliveries that bill it. The rollups follow by trigger (migration `billable_work`).
 */
export class BillableWorkChanges {
  private readonly seen = new Map<string, BillableWorkEntry & { billedInvoice: string | null }>();
  private readonly billedOnly = new Map<string, string>();
  private readonly withdrawn = new Set<string>();

  see(entry: BillableWorkEntry): void {
    this.seen.set(entry.canonicalId, {
      ...entry,
      billedInvoice: this.seen.get(entry.canonicalId)?.billedInvoice ?? null,
    });
    this.withdrawn.delete(entry.canonicalId);
  }

  billed(canonicalId: string, invoice: string): void {
    const entry = this.seen.get(canonicalId);
    if (entry) entry.billedInvoice = invoice;
    else this.billedOnly.set(canonicalId, invoice);
  }

  /** No longer approved or billable (approval withdrawn, project turned fixed-fee): not unbilled work. */
  withdraw(canonicalId: string): void {
    this.seen.delete(canonicalId);
    this.withdrawn.add(canonicalId);
  }

  get size(): number {
    return this.seen.size + this.billedOnly.size + this.withdrawn.size;
  }

  async write(tx: RawSql, at: Date): Promise<void> {
    // Key order throughout, so two batches touching the same rows lock them in the same order.
    const seen = [...this.seen.values()].sort((a, b) => a.canonicalId.localeCompare(b.canonicalId));
    if (seen.length) {
      await tx.$executeRaw`
        INSERT INTO "BillableWork" AS w ("canonicalId", "legalEntityId", "sourceType", "sourceId", "projectId",
          "traceKey", amount, currency, "workDate", "firstSeenAt", "billedAt", "billedInvoice", "updatedAt")
        SELECT v.id::uuid, v.entity, v.source_type, v.source_id, v.project, v.trace_key::uuid, v.amount::numeric,
          v.currency, v.work_date::date, ${at}::timestamptz, CASE WHEN v.invoice IS NULL THEN NULL ELSE ${at}::timestamptz END,
          v.invoice, ${at}::timestamptz
        FROM unnest(
          ${seen.map((e) => e.canonicalId)}::text[],
          ${seen.map((e) => e.legalEntityId)}::text[],
          ${seen.map((e) => e.sourceType)}::text[],
          ${seen.map((e) => e.sourceId)}::text[],
          ${seen.map((e) => e.projectId)}::text[],
          ${seen.map((e) => e.traceKey)}::text[],
          ${seen.map((e) => e.amount)}::text[],
          ${seen.map((e) => e.currency)}::text[],
          ${seen.map((e) => e.workDate)}::text[],
          ${seen.map((e) => e.billedInvoice)}::text[]
        ) AS v(id, entity, source_type, source_id, project, trace_key, amount, currency, work_date, invoice)
        ON CONFLICT ("canonicalId") DO UPDATE SET
          "legalEntityId" = EXCLUDED."legalEntityId",
          "projectId" = EXCLUDED."projectId",
          "traceKey" = EXCLUDED."traceKey",
          amount = EXCLUDED.amount,
          currency = EXCLUDED.currency,
          "workDate" = EXCLUDED."workDate",
          -- Once on an invoice, it stays billed from that day.
          "billedAt" = coalesce(w."billedAt", EXCLUDED."billedAt"),
          "billedInvoice" = coalesce(w."billedInvoice", EXCLUDED."billedInvoice"),
          "updatedAt" = EXCLUDED."updatedAt"
        WHERE (w."legalEntityId", w."projectId", w."traceKey", w.amount, w.currency, w."workDate")
                IS DISTINCT FROM (EXCLUDED."legalEntityId", EXCLUDED."projectId", EXCLUDED."traceKey", EXCLUDED.amount,
                                  EXCLUDED.currency, EXCLUDED."workDate")
           OR (w."billedAt" IS NULL AND EXCLUDED."billedAt" IS NOT NULL)`;
    }
    if (this.billedOnly.size) {
      const billed = [...this.billedOnly].sort(([a], [b]) => a.localeCompare(b));
      await tx.$executeRaw`
        UPDATE "BillableWork" AS w SET "billedAt" = ${at}, "billedInvoice" = v.invoice, "updatedAt" = ${at}
        FROM unnest(${billed.map(([id]) => id)}::text[], ${billed.map(([, invoice]) => invoice)}::text[]) AS v(id, invoice)
        WHERE w."canonicalId" = v.id::uuid AND w."billedAt" IS NULL`;
    }
    if (this.withdrawn.size) {
      await tx.$executeRaw`
        DELETE FROM "BillableWork" WHERE "canonicalId" = ANY(${[...this.withdrawn].sort()}::uuid[]) AND "billedAt" IS NULL`;
    }
  }
}
