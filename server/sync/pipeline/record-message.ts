import { randomUUID } from 'node:crypto';
import type { PulledRecord } from '@/server/connectors/connector';
import type { ExternalRef, SystemName } from '@/server/domain/canonical/canonical-record';
import type { ExceptionCodeName } from '@/server/domain/exception-catalogue';
import { ROUTINE_FACTS } from '@/server/domain/routines';
import type { RunScope } from '../routine-definition';
import type { BatchJournal, LedgerRow } from './batch-journal';
import type { WriteResult } from './deliverer';
import { canonicalIdFor } from './identity';

/**
 * One source record on its way through the pipeline: its correlation id, and the single ledger
 * outcome it ends with — delivered, no-op (with the reason) or exception. Nothing is dropped.
 */
export class RecordMessage {
  readonly correlationId: string;
  /**
   * The business object's trace key, stored with the ledger row. A routine sets its parent's key
   * where the parent is known (the rule is in trace-keys.ts); until then the record keys itself, derived from
   * its own identity so every run of it agrees.
   */
  traceKey: string;
  readonly sourceSystem: SystemName;
  readonly startedAt = new Date();
  private settled = false;

  constructor(
    readonly scope: RunScope,
    readonly record: PulledRecord,
    private readonly journal: BatchJournal,
    correlationId?: string,
  ) {
    this.correlationId = correlationId ?? randomUUID();
    this.sourceSystem = ROUTINE_FACTS[scope.routine].sourceSystem;
    this.traceKey = canonicalIdFor(this.sourceSystem, record.objectType, record.externalId);
  }

  get sourceRef(): ExternalRef {
    return { system: this.sourceSystem, objectType: this.record.objectType, externalId: this.record.externalId };
  }

  /** The fields every canonical record made from this source record carries (schema version 1). */
  canonicalBase<T extends { id: string; legalEntityId: string; currency?: string }>(canonical: T) {
    return { ...canonical, schemaVersion: 1, externalRefs: [this.sourceRef], sourceChangedAt: this.record.changedAt };
  }

  get isSettled(): boolean {
    return this.settled;
  }

  private ledger(row: Omit<LedgerRow, 'routine' | 'runId' | 'correlationId' | 'traceKey' | 'source' | 'startedAt'>) {
    if (this.settled) throw new Error(`record ${this.record.externalId} already has its outcome`);
    this.settled = true;
    this.journal.ledger.push({
      routine: this.scope.routine,
      runId: this.scope.runId,
      correlationId: this.correlationId,
      traceKey: this.traceKey,
      source: { ...this.sourceRef, changedAt: this.record.changedAt },
      startedAt: this.startedAt,
      ...row,
    });
  }

  noop(
    reason: string,
    extra: { canonicalId?: string; step?: LedgerRow['step']; alreadyDelivered?: boolean } = {},
  ): void {
    this.ledger({
      step: extra.step ?? 'plan',
      outcome: 'noop',
      reason,
      canonicalId: extra.canonicalId ?? null,
      ...(extra.alreadyDelivered ? { alreadyDelivered: true } : {}),
    });
  }

  delivered(extra: {
    canonicalId: string;
    target: { system: SystemName; objectType: string; externalId: string };
    idempotencyKey: string;
    ruleVersion: number;
    reason?: string;
  }): void {
    this.scope.breaker?.passed();
    this.ledger({ step: 'record', outcome: 'delivered', ...extra });
  }

  /** Held as the exception a failed or refused write ends in, with the target's own words. */
  deliveryFailed(
    failure: Pick<
      Extract<WriteResult, { ok: false }>,
      'code' | 'message' | 'targetCode' | 'targetMessage' | 'idempotencyKey'
    >,
    about: {
      canonicalId: string;
      objectType: string;
      amount?: string | null;
      currency?: string | null;
      ruleVersion: number;
      extraRefs?: ExternalRef[];
    },
  ): void {
    this.exception({
      code: failure.code,
      message: failure.message,
      step: 'deliver',
      targetCode: failure.targetCode,
      targetMessage: failure.targetMessage,
      idempotencyKey: failure.idempotencyKey,
      ...about,
    });
  }

  /** Held as an exception with the message needed to replay it. */
  exception(problem: {
    code: ExceptionCodeName;
    message: string;
    step: LedgerRow['step'];
    canonicalId?: string | null;
    objectType: string;
    amount?: string | null;
    currency?: string | null;
    targetCode?: string | null;
    targetMessage?: string | null;
    idempotencyKey?: string | null;
    ruleVersion?: number | null;
    team?: 'finance' | 'operations' | 'integration';
    extraRefs?: ExternalRef[];
  }): void {
    // A systemic failure stops the run here, before the record is filed as its own exception.
    this.scope.breaker?.failed(problem.code, problem.targetMessage ?? problem.message);
    this.ledger({
      step: problem.step,
      outcome: 'exception',
      reason: `${problem.code}: ${problem.message}`,
      canonicalId: problem.canonicalId ?? null,
      idempotencyKey: problem.idempotencyKey ?? null,
      ruleVersion: problem.ruleVersion ?? null,
    });
    this.journal.exceptions.push({
      code: problem.code,
      routine: this.scope.routine,
      legalEntityId: this.scope.legalEntityId,
      objectType: problem.objectType,
      externalIds: [this.sourceRef, ...(problem.extraRefs ?? [])],
      message: problem.message,
      targetCode: problem.targetCode ?? null,
      targetMessage: problem.targetMessage ?? null,
      payload: {
        connectionId: this.scope.connectionId,
        legalEntityId: this.scope.legalEntityId,
        sourceSystem: this.sourceSystem,
        record: this.record,
      },
      correlationId: this.correlationId,
      runId: this.scope.runId,
      idempotencyKey: problem.idempotencyKey ?? null,
      amount: problem.amount ?? null,
      currency: problem.currency ?? null,
      team: problem.team,
    });
  }
}
