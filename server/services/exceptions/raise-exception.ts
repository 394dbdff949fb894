import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '@/lib/canonical-json';
import type { Tx } from '@/server/db/client';
import type { RawSql } from '@/server/db/driver';
import type { ExternalRef } from '@/server/domain/canonical/canonical-record';
import { EXCEPTION_CATALOGUE, type ExceptionCodeName } from '@/server/domain/exception-catalogue';
import { placeException, type RoutingRuleInput } from '@/server/domain/routing';
import type { RoutineName } from '@/server/domain/routines';

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
export async function routingRules(sql: RawSql): Promise<RoutingRuleInput[]> {
  // Amounts as exact decimal strings without trailing zeros, as routingRuleFromRow gives them.
  return sql.$queryRaw<RoutingRuleInput[]>`
    SELECT position, routine::text AS routine, code, "legalEntityId", trim_scale("minAmount")::text AS "minAmount",
      trim_scale("maxAmount")::text AS "maxAmount", "amountCurrency", team::text AS team, priority::text AS priority,
      "dueHours", enabled
    FROM "RoutingRule"
    WHERE version = (SELECT max(version) FROM "RoutingRuleVersion") AND enabled
    ORDER BY position`;
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
  const [raised] = await raiseExceptions(tx, [input], rules);
  return raised!;
}

/**
 * `raiseException` for many at once, in input order: one statement for the first sighting of each
 * problem, so a batch that holds hundreds of records costs no more round trips than one. A problem
 * met twice in the same call is raised, then repeated, as two calls would.
 */
export async function raiseExceptions(
  tx: RawSql,
  inputs: readonly RaiseExceptionInput[],
  rules?: readonly RoutingRuleInput[],
): Promise<{ id: string; created: boolean }[]> {
  if (inputs.length === 0) return [];
  const placedBy = rules ?? (await routingRules(tx));
  const fingerprints = inputs.map(exceptionFingerprint);
  const first: number[] = [];
  const again: number[] = [];
  const seen = new Set<string>();
  for (const [index, fingerprint] of fingerprints.entries()) {
    if (seen.has(fingerprint)) again.push(index);
    else first.push(index);
    seen.add(fingerprint);
  }
  const results: { id: string; created: boolean }[] = [];
  const firstResults = await raiseDistinct(
    tx,
    first.map((i) => inputs[i]!),
    first.map((i) => fingerprints[i]!),
    placedBy,
  );
  for (const [i, index] of first.entries()) results[index] = firstResults[i]!;
  for (const index of again)
    results[index] = (await raiseDistinct(tx, [inputs[index]!], [fingerprints[index]!], placedBy))[0]!;
  return results;
}

/** Exceptions of distinct fingerprints, each with its history event and run sighting: one statement. */
async function raiseDistinct(
  tx: RawSql,
  inputs: readonly RaiseExceptionInput[],
  fingerprints: readonly string[],
  rules: readonly RoutingRuleInput[],
): Promise<{ id: string; created: boolean }[]> {
  const rows = inputs.map((input, index) => {
    const placement = placeException(rules, {
      routine: input.routine,
      code: input.code,
      legalEntityId: input.legalEntityId,
      amount: input.amount ?? null,
      currency: input.currency ?? null,
    });
    const team = input.team ?? placement.team;
    return {
      id: randomUUID(),
      fingerprint: fingerprints[index]!,
      kind: EXCEPTION_CATALOGUE[input.code].kind,
      input,
      team,
      priority: placement.priority,
      dueAt: new Date(Date.now() + placement.dueHours * 3_600_000).toISOString(),
      created: JSON.stringify({
        correlationId: input.correlationId,
        team,
        priority: placement.priority,
        rulePosition: input.team ? null : placement.rulePosition,
      }),
      repeated: JSON.stringify({ correlationId: input.correlationId }),
    };
  });
  const column = <T>(pick: (row: (typeof rows)[number]) => T) => rows.map(pick);
  const raised = await tx.$queryRaw<{ id: string; fingerprint: string; inserted: boolean }[]>`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.fingerprint)}::text[], ${column((r) => r.kind)}::text[],
        ${column((r) => r.input.code)}::text[], ${column((r) => r.input.routine)}::text[],
        ${column((r) => r.input.legalEntityId)}::text[], ${column((r) => r.input.objectType)}::text[],
        ${column((r) => JSON.stringify(r.input.externalIds))}::text[], ${column((r) => r.input.message)}::text[],
        ${column((r) => r.input.targetCode ?? null)}::text[], ${column((r) => r.input.targetMessage ?? null)}::text[],
        ${column((r) => JSON.stringify(r.input.payload ?? null))}::text[], ${column((r) => r.input.correlationId)}::uuid[],
        ${column((r) => r.input.idempotencyKey ?? null)}::text[], ${column((r) => r.input.amount ?? null)}::numeric[],
        ${column((r) => r.input.currency ?? null)}::text[], ${column((r) => r.team)}::text[],
        ${column((r) => r.priority)}::text[], ${column((r) => r.dueAt)}::timestamptz[],
        ${column((r) => r.input.runId ?? null)}::uuid[], ${column((r) => r.created)}::text[],
        ${column((r) => r.repeated)}::text[]
      ) AS v(id, fingerprint, kind, code, routine, legal_entity_id, object_type, external_ids, message,
        target_code, target_message, payload, correlation_id, idempotency_key, amount, currency, team,
        priority, due_at, run_id, created_data, repeated_data)
    ), raised AS (
      INSERT INTO "SyncException" (
        id, fingerprint, kind, code, routine, "legalEntityId", "objectType", "externalIds", message,
        "targetCode", "targetMessage", payload, "correlationId", "idempotencyKey", amount, currency,
        team, priority, "dueAt")
      SELECT id, fingerprint, kind::"ExceptionKind", code, routine::"Routine", legal_entity_id, object_type,
        external_ids::jsonb, message, target_code, target_message, payload::jsonb, correlation_id,
        idempotency_key, amount, currency, team::"Team", priority::"Priority", due_at
      FROM input
      ON CONFLICT (fingerprint) WHERE status NOT IN ('resolved', 'ignored')
      DO UPDATE SET
        occurrences = "SyncException".occurrences + 1,
        "lastSeenAt" = now(),
        message = EXCLUDED.message,
        "targetMessage" = EXCLUDED."targetMessage",
        payload = EXCLUDED.payload,
        "correlationId" = EXCLUDED."correlationId"
      RETURNING id, fingerprint, (xmax = 0) AS inserted
    ), event AS (
      INSERT INTO "ExceptionEvent" ("exceptionId", type, note, data)
      SELECT r.id, CASE WHEN r.inserted THEN 'created' ELSE 'repeated' END, i.message,
        (CASE WHEN r.inserted THEN i.created_data ELSE i.repeated_data END)::jsonb
      FROM raised r JOIN input i USING (fingerprint)
    ), sighting AS (
      INSERT INTO "ExceptionSighting" ("runId", "exceptionId")
      SELECT i.run_id, r.id FROM raised r JOIN input i USING (fingerprint) WHERE i.run_id IS NOT NULL
      ON CONFLICT DO NOTHING
    )
    SELECT id::text, fingerprint, inserted FROM raised`;
  const byFingerprint = new Map(raised.map((r) => [r.fingerprint, { id: r.id, created: r.inserted }]));
  return fingerprints.map((f) => byFingerprint.get(f)!);
}
