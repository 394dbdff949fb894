import { db } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import { ROUTINE_FACTS, type RoutineName } from '@/server/domain/routines';
import { AppError } from '@/server/errors';

/** The stages a deal goes through, in order, and the routine that makes each. */
const STAGES = [
  { stage: 'deal', routine: 'project_activation', label: 'Opportunity → customer and project' },
  { stage: 'change', routine: 'change_orders', label: 'Change orders → budget and milestones' },
  { stage: 'work', routine: 'billing_eligibility', label: 'Approved work and milestones → invoice items and invoices' },
  { stage: 'invoice', routine: 'invoice_status', label: 'Invoices and payments → ERP and CRM' },
] as const satisfies readonly { stage: string; routine: RoutineName; label: string }[];

/** A trace shows at most this many ledger rows (a long-running deal bills much time). */
export const TRACE_ROW_LIMIT = 2_000;

export interface ExternalId {
  system: SystemName;
  objectType: string;
  externalId: string;
}

/** One source record in a stage: how it ended most recently, and what it was written as. */
export interface TraceRecord {
  source: ExternalId;
  targets: ExternalId[];
  outcome: string;
  reason: string | null;
  attempts: number;
  firstAt: Date;
  lastAt: Date;
  runId: string | null;
}

export interface TraceStage {
  stage: (typeof STAGES)[number]['stage'];
  label: string;
  routine: RoutineName;
  sourceSystem: SystemName;
  targetSystems: SystemName[];
  firstAt: Date;
  lastAt: Date;
  /** From the previous stage's first delivery to this stage's: how long the hop took. */
  hopMs: number | null;
  counts: { delivered: number; noop: number; exception: number };
  records: TraceRecord[];
}

export interface TraceException {
  id: string;
  code: string;
  status: string;
  message: string;
  routine: RoutineName;
  firstSeenAt: Date;
}

export interface RecordTrace {
  traceKey: string;
  title: string;
  stages: TraceStage[];
  exceptions: TraceException[];
  /** More ledger rows carry the key than the trace shows. */
  truncated: boolean;
}

/** One business object followed end to end across the systems, from its ledger rows. */
export async function recordTrace(traceKey: string): Promise<RecordTrace> {
  const rows = await db().ledgerEntry.findMany({
    where: { traceKey },
    orderBy: { id: 'asc' },
    take: TRACE_ROW_LIMIT + 1,
  });
  if (!rows.length) throw new AppError('NOT_FOUND', 'No synced record has this trace key.');
  const truncated = rows.length > TRACE_ROW_LIMIT;
  const shown = rows.slice(0, TRACE_ROW_LIMIT);

  let previousDelivery: Date | null = null;
  const stages: TraceStage[] = [];
  for (const { stage, routine, label } of STAGES) {
    const ofStage = shown.filter((r) => r.routine === routine);
    if (!ofStage.length) continue;
    const records = new Map<string, TraceRecord>();
    for (const row of ofStage) {
      const source = { system: row.sourceSystem, objectType: row.sourceType, externalId: row.sourceId };
      const id = `${row.sourceSystem}|${row.sourceType}|${row.sourceId}`;
      const record = records.get(id) ?? {
        source,
        targets: [],
        outcome: row.outcome,
        reason: row.reason,
        attempts: 0,
        firstAt: row.finishedAt,
        lastAt: row.finishedAt,
        runId: row.runId,
      };
      record.attempts += 1;
      Object.assign(record, { outcome: row.outcome, reason: row.reason, lastAt: row.finishedAt, runId: row.runId });
      if (row.targetSystem && row.targetType && row.targetId) {
        const target = { system: row.targetSystem, objectType: row.targetType, externalId: row.targetId };
        if (!record.targets.some((t) => t.externalId === target.externalId && t.system === target.system))
          record.targets.push(target);
      }
      records.set(id, record);
    }
    const delivered = ofStage.filter((r) => r.outcome === 'delivered');
    const firstDelivery = delivered[0]?.finishedAt ?? null;
    stages.push({
      stage,
      label,
      routine,
      sourceSystem: ROUTINE_FACTS[routine].sourceSystem,
      targetSystems: [...new Set(ofStage.map((r) => r.targetSystem).filter((s) => s !== null))],
      firstAt: ofStage[0]!.finishedAt,
      lastAt: ofStage.at(-1)!.finishedAt,
      hopMs:
        previousDelivery && firstDelivery ? Math.max(0, firstDelivery.getTime() - previousDelivery.getTime()) : null,
      counts: {
        delivered: delivered.length,
        noop: ofStage.filter((r) => r.outcome === 'noop').length,
        exception: ofStage.filter((r) => r.outcome === 'exception').length,
      },
      records: [...records.values()],
    });
    previousDelivery = firstDelivery ?? previousDelivery;
  }

  const held = [...new Set(shown.filter((r) => r.outcome === 'exception').map((r) => r.correlationId))];
  const exceptions = held.length
    ? await db().syncException.findMany({
        where: { correlationId: { in: held } },
        select: { id: true, code: true, status: true, message: true, routine: true, firstSeenAt: true },
        orderBy: { firstSeenAt: 'asc' },
      })
    : [];

  const root = shown.find((r) => r.routine === 'project_activation') ?? shown[0]!;
  return {
    traceKey,
    title: `${root.sourceType} ${root.sourceId}`,
    stages,
    exceptions,
    truncated,
  };
}
