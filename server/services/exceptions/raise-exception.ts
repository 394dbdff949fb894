import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import type { Tx } from '@/server/db/client';
import type { ExternalRef } from '@/server/domain/canonical/canonical-record';
import { EXCEPTION_CATALOGUE, type ExceptionCodeName } from '@/server/domain/exception-catalogue';
import { placeException, type RoutingRuleInput } from '@/server/domain/routing';
import type { RoutineName } from '@/server/domain/routines';
import { routingRuleFromRow } from '@/server/services/routing/routing-rules';

export interface RaiseExceptionInput {
  code: ExceptionCodeName;
  routine: RoutineName;
  legalEntityId: string | null;
  objectType: string;
  externalIds: ExternalRef[];
  message: string;
  targetCode?: string | null;
  targetMessage?: string | null;
  /** The held message: enough to replay the record through the pipeline. */
  payload: unknown;
  correlationId: string;
  /** The run that met the problem: the exception is listed under it (raised or seen again). */
  runId?: string | null;
  idempotencyKey?: string | null;
  amount?: string | null;
  currency?: string | null;
  /** Overrides routing (an ownership conflict belongs to the attribute owner's team). */
  team?: 'finance' | 'operations' | 'integration';
}

/**
 * The same problem on the same record is one exception: routine, code, object and its ids (and
 * the target's own code) make the fingerprint; messages and payloads may vary between tries.
 */
export function exceptionFingerprint(input: RaiseExceptionInput): string {
  const ids = [...input.externalIds].map((r) => `${r.system}:${r.objectType}:${r.externalId}`).sort();
  return createHash('sha256')
    .update(canonicalJson([input.routine, input.code, input.objectType, ids, input.targetCode ?? null]))
    .digest('hex');
}

/** The enabled routing rules of the version in force, in order; load them once for many `raiseException` calls. */
export async function routingRules(tx: Tx): Promise<RoutingRuleInput[]> {
  const latest = await tx.routingRuleVersion.findFirst({
    orderBy: { version: 'desc' },
    include: { rules: { where: { enabled: true }, orderBy: { position: 'asc' } } },
  });
  return latest?.rules.map(routingRuleFromRow) ?? [];
}

/**
 * Records a failure as an owned exception, inside the caller's transaction: a new one is placed
 * by the routing rules; a repeat of an open one bumps its count and last-seen time instead.
 */
export async function raiseException(
  tx: Tx,
  input: RaiseExceptionInput,
  rules?: readonly RoutingRuleInput[],
): Promise<{ id: string; created: boolean }> {
  const fingerprint = exceptionFingerprint(input);
  const kind = EXCEPTION_CATALOGUE[input.code].kind;
  const placement = placeException(rules ?? (await routingRules(tx)), {
    routine: input.routine,
    code: input.code,
    legalEntityId: input.legalEntityId,
    amount: input.amount ?? null,
    currency: input.currency ?? null,
  });
  const team = input.team ?? placement.team;
  const dueAt = new Date(Date.now() + placement.dueHours * 3_600_000);
  // The exception and its history event in one statement.
  const rows = await tx.$queryRaw<{ id: string; inserted: boolean }[]>`
    WITH raised AS (
      INSERT INTO "SyncException" (
        id, fingerprint, kind, code, routine, "legalEntityId", "objectType", "externalIds", message,
        "targetCode", "targetMessage", payload, "correlationId", "idempotencyKey", amount, currency,
        team, priority, "dueAt")
      VALUES (
        ${randomUUID()}::uuid, ${fingerprint}, ${kind}::"ExceptionKind", ${input.code}, ${input.routine}::"Routine",
        ${input.legalEntityId}, ${input.objectType}, ${JSON.stringify(input.externalIds)}::jsonb, ${input.message},
        ${input.targetCode ?? null}, ${input.targetMessage ?? null}, ${JSON.stringify(input.payload ?? null)}::jsonb,
        ${input.correlationId}::uuid, ${input.idempotencyKey ?? null}, ${input.amount ?? null}::numeric, ${input.currency ?? null},
        ${team}::"Team", ${placement.priority}::"Priority", ${dueAt})
      ON CONFLICT (fingerprint) WHERE status NOT IN ('resolved', 'ignored')
      DO UPDATE SET
        occurrences = "SyncException".occurrences + 1,
        "lastSeenAt" = now(),
        message = EXCLUDED.message,
        "targetMessage" = EXCLUDED."targetMessage",
        payload = EXCLUDED.payload,
        "correlationId" = EXCLUDED."correlationId"
      RETURNING id, (xmax = 0) AS inserted
    ), event AS (
      INSERT INTO "ExceptionEvent" ("exceptionId", type, note, data)
      SELECT id, CASE WHEN inserted THEN 'created' ELSE 'repeated' END, ${input.message},
        CASE WHEN inserted THEN ${JSON.stringify({ correlationId: input.correlationId, team, priority: placement.priority, rulePosition: input.team ? null : placement.rulePosition })}::jsonb
        ELSE ${JSON.stringify({ correlationId: input.correlationId })}::jsonb END
      FROM raised
    ), sighting AS (
      INSERT INTO "ExceptionSighting" ("runId", "exceptionId")
      SELECT ${input.runId ?? null}::uuid, id FROM raised WHERE ${input.runId ?? null}::uuid IS NOT NULL
      ON CONFLICT DO NOTHING
    )
    SELECT id::text, inserted FROM raised`;
  const row = rows[0]!;
  return { id: row.id, created: row.inserted };
}
