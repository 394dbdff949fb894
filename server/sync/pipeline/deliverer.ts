import { env } from '@/env';
import { ConnectorError, type Connector, type KeyLookup } from '@/server/connectors/connector';
import { driverPool, rawSql } from '@/server/db/driver';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import type { ExceptionCodeName } from '@/server/domain/exception-catalogue';
import type { RoutineName } from '@/server/domain/routines';
import { SYNC_ACTOR } from '@/server/services/audit/audit-context';
import { RetriesExhausted, withRetries, type RetryPolicy } from '../retry';
import type { BatchJournal } from './batch-journal';
import { idempotencyKeyFor, uuidOf } from './identity';

export interface WriteRequest {
  connector: Connector;
  targetType: string;
  canonicalType: string;
  canonicalId: string;
  contentHash: string;
  /** Our key for the record in the target (external-id field, eid:, metadata). */
  key: string;
  /** The target's id when the routine knows it already (a write-back onto the source record). */
  targetId?: string;
  /** The object the record goes onto (an invoice item's draft), recorded with the pending write. */
  parentId?: string;
  fields: Record<string, unknown>;
  /**
   * The target's id of this very write when it was found there (an earlier attempt that reached
   * the target and whose answer was lost): recorded as delivered without writing it again.
   */
  foundAtTarget?: string;
}

export type WriteResult =
  | {
      ok: true;
      targetId: string;
      idempotencyKey: string;
      created: boolean;
      alreadyDelivered: boolean;
      /** An earlier attempt with this key (a run cut short) may have reached the target. */
      triedBefore: boolean;
    }
  | {
      ok: false;
      idempotencyKey: string;
      code: ExceptionCodeName;
      message: string;
      targetCode: string | null;
      targetMessage: string | null;
    };

// Writes that become ready within this long share one prepare (two queries); a target's answer
// takes far longer.
const PREPARE_WINDOW_MS = 3;

/** Where a routine sends its writes: the targets (Deliverer), or a dry run that only reports. */
export interface WriteSink {
  prepare(requests: readonly WriteRequest[]): Promise<void>;
  write(request: WriteRequest): Promise<WriteResult>;
  /** Updates of records the routine knows by the target's id, each with the result `write` gives. */
  updateMany(requests: readonly WriteRequest[]): Promise<WriteResult[]>;
}

/** Creates whose keys the target may have forgotten, looked up there with one call when first needed. */
interface LookupBatch {
  connector: Connector;
  targetType: string;
  lookups: KeyLookup[];
  found?: Promise<Map<string, string>>;
}

interface KnownKey {
  status: string;
  targetId: string | null;
  triedBefore?: boolean;
  /** Pending for longer than the safety window: look for what the first attempt made first. */
  lookup?: LookupBatch;
}

/**
 * Writes to targets exactly once per idempotency key. Before a write calls its target its key is
 * recorded as pending; a key already delivered is not written again; a write that fails
 * transiently is retried within the budget; the outcome goes to the batch journal. A create still
 * pending after the safety window (IDEMPOTENCY_SAFETY_WINDOW_HOURS, under Stripe's 24 hours of
 * key memory) may have reached the target with its reply lost: it is looked for there by our key
 * and linked if found, so a late retry or replay never makes a second object.
 */
export class Deliverer implements WriteSink {
  private readonly known = new Map<string, KnownKey>();
  private readonly previousTargets = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<WriteResult>>();
  private queued: WriteRequest[] = [];
  private queuedPrepare: Promise<void> | null = null;

  /**
   * `uncommitted`: journals of earlier batches of the same run whose commit may still be running
   * (the runner commits one batch while the next is processed). Their deliveries count as
   * delivered, as they will once committed, so a write they made is never made again.
   */
  constructor(
    private readonly routine: RoutineName,
    private readonly journal: BatchJournal,
    private readonly policy: RetryPolicy,
    private readonly uncommitted: readonly BatchJournal[] = [],
  ) {}

  keyOf(request: WriteRequest): string {
    return idempotencyKeyFor({
      routine: this.routine,
      targetSystem: request.connector.system,
      targetType: request.targetType,
      canonicalId: request.canonicalId,
      contentHash: request.contentHash,
    });
  }

  /**
   * Loads what earlier runs and batches delivered and records the rest as pending: two queries
   * side by side, however many requests.
   */
  async prepare(requests: readonly WriteRequest[]): Promise<void> {
    const unique = new Map(requests.map((r) => [this.keyOf(r), r]));
    const keys = [...unique.keys()].filter((k) => !this.known.has(k));
    if (keys.length === 0) return;
    for (const journal of this.uncommitted) {
      for (const d of journal.delivered)
        if (unique.has(d.idempotencyKey))
          this.known.set(d.idempotencyKey, { status: 'delivered', targetId: d.targetId });
    }
    const unknown = keys.filter((k) => !this.known.has(k)).map((key) => ({ key, request: unique.get(key)! }));
    const canonicalIds = [...new Set([...unique.values()].map((r) => r.canonicalId))];
    const systems = [...new Set([...unique.values()].map((r) => r.connector.system as SystemName))];
    const windowSeconds = env.IDEMPOTENCY_SAFETY_WINDOW_HOURS * 3600;
    const sql = rawSql(driverPool());
    const [existing, refs] = await Promise.all([
      // Inserts the unknown keys as pending and returns those that were there before (the final
      // SELECT sees the table as it was when the statement began).
      unknown.length
        ? sql.$queryRaw<{ idempotencyKey: string; status: string; targetId: string | null; pastWindow: boolean }[]>`
            WITH input AS (
              SELECT * FROM unnest(
                ${unknown.map((u) => u.key)}::text[],
                ${unknown.map((u) => u.request.connector.system)}::text[],
                ${unknown.map((u) => u.request.targetType)}::text[],
                ${unknown.map((u) => u.request.canonicalId)}::text[],
                ${unknown.map((u) => u.request.contentHash)}::text[],
                ${unknown.map((u) => u.request.parentId ?? null)}::text[]
              ) AS v(key, target_system, target_type, canonical_id, content_hash, parent_id)
            ), pending AS (
              INSERT INTO "Delivery" ("idempotencyKey", routine, "targetSystem", "targetType", "canonicalId", "contentHash", "parentId", status)
              SELECT key, ${this.routine}::"Routine", target_system::"SystemName", target_type, canonical_id::uuid, content_hash, parent_id, 'pending'
              FROM input
              ON CONFLICT DO NOTHING
            )
            SELECT d."idempotencyKey", d.status, d."targetId",
              d.status = 'pending' AND d."createdAt" < now() - ${windowSeconds}::float8 * interval '1 second' AS "pastWindow"
            FROM "Delivery" d JOIN input ON d."idempotencyKey" = input.key`
        : Promise.resolve([]),
      // The target's id of records delivered before with other content: those writes are updates.
      sql.$queryRaw<{ canonicalId: string; system: string; objectType: string; externalId: string }[]>`
        SELECT "canonicalId"::text AS "canonicalId", system::text AS system, "objectType", "externalId"
        FROM "ExternalRef" WHERE "canonicalId" = ANY(${canonicalIds}::uuid[]) AND system::text = ANY(${systems}::text[])
        ORDER BY id`,
    ]);
    for (const row of existing)
      this.known.set(row.idempotencyKey, { status: row.status, targetId: row.targetId, triedBefore: true });
    for (const { key } of unknown) if (!this.known.has(key)) this.known.set(key, { status: 'pending', targetId: null });
    for (const ref of refs)
      this.previousTargets.set(`${ref.canonicalId}|${ref.system}|${ref.objectType}`, ref.externalId);
    const wanted = new Set(canonicalIds);
    for (const journal of this.uncommitted) {
      for (const d of journal.delivered) {
        if (wanted.has(d.canonicalId) && systems.includes(d.ref.system))
          this.previousTargets.set(`${d.canonicalId}|${d.ref.system}|${d.ref.objectType}`, d.ref.externalId);
      }
    }
    const batches: LookupBatch[] = [];
    for (const row of existing) {
      const request = unique.get(row.idempotencyKey);
      // Only a create can make a second object: an update sent again sets the same fields. NetSuite
      // and Salesforce create by our external id itself (eid: / external-id upserts), so a repeated
      // write finds its record there; they have no findByKeys and need no look-up.
      if (!row.pastWindow || !request?.connector.findByKeys || this.targetIdOf(request)) continue;
      const { connector, targetType } = request;
      let batch = batches.find((b) => b.connector === connector && b.targetType === targetType);
      if (!batch) {
        batch = { connector, targetType, lookups: [] };
        batches.push(batch);
      }
      batch.lookups.push({ key: request.key, parentId: request.parentId ?? null, fields: request.fields });
      this.known.get(row.idempotencyKey)!.lookup = batch;
    }
  }

  /** The target's id when the write is an update: given by the routine, or from an earlier delivery. */
  private targetIdOf(request: WriteRequest): string | null {
    return (
      request.targetId ??
      this.previousTargets.get(`${request.canonicalId}|${request.connector.system}|${request.targetType}`) ??
      null
    );
  }

  private lookUp(batch: LookupBatch): Promise<Map<string, string>> {
    const { connector } = batch;
    batch.found ??= withRetries(
      () => connector.findByKeys!(batch.targetType, batch.lookups),
      (error) => connector.classifyError(error),
      this.policy,
    );
    return batch.found;
  }

  /**
   * Prepares the writes that become ready together — within PREPARE_WINDOW_MS, as the items of a
   * draft do once the draft exists — with one `prepare`, so a routine need not gather its writes
   * into rounds, and a write is never recorded as pending unless it is about to be made.
   */
  private prepareSoon(request: WriteRequest): Promise<void> {
    this.queued.push(request);
    this.queuedPrepare ??= new Promise<void>((resolve) => setTimeout(resolve, PREPARE_WINDOW_MS)).then(() => {
      const requests = this.queued;
      this.queued = [];
      this.queuedPrepare = null;
      return this.prepare(requests);
    });
    return this.queuedPrepare;
  }

  /** One write; concurrent calls for the same key share one call to the target. */
  write(request: WriteRequest): Promise<WriteResult> {
    const key = this.keyOf(request);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.perform(request, key);
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async perform(request: WriteRequest, idempotencyKey: string): Promise<WriteResult> {
    if (!this.known.has(idempotencyKey)) await this.prepareSoon(request);
    const known = this.known.get(idempotencyKey);
    if (known?.status === 'delivered' && known.targetId) return alreadyDelivered(known.targetId, idempotencyKey);
    const { connector } = request;
    const targetId = this.targetIdOf(request);
    try {
      // The routine found the object at the target already (an item on its draft): recorded, not sent.
      if (request.foundAtTarget)
        return this.recordDelivered(
          request,
          idempotencyKey,
          request.foundAtTarget,
          'sync.found',
          known?.triedBefore ?? false,
        );
      if (known?.lookup && !targetId) {
        const found = (await this.lookUp(known.lookup)).get(request.key);
        if (found) return this.recordDelivered(request, idempotencyKey, found, 'sync.linked', true);
      }
      const result = await withRetries(
        () =>
          connector.upsert(request.targetType, { key: request.key, targetId, fields: request.fields }, idempotencyKey),
        (error) => connector.classifyError(error),
        this.policy,
      );
      const action = result.created ? 'sync.created' : 'sync.updated';
      return this.recordDelivered(request, idempotencyKey, result.externalId, action, known?.triedBefore ?? false);
    } catch (error) {
      return { ok: false, idempotencyKey, ...writeFailure(error) };
    }
  }

  /**
   * Updates sent together where their target takes many in one request (NetSuite's batch
   * operations), a batch of one target type at a time; one write each otherwise. An update a batch
   * failed transiently is made again on its own, with its own retries.
   */
  async updateMany(requests: readonly WriteRequest[]): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    const groups = new Map<Connector, Map<string, number[]>>();
    const singles: number[] = [];
    await this.prepare(requests);
    for (const [index, request] of requests.entries()) {
      const idempotencyKey = this.keyOf(request);
      const known = this.known.get(idempotencyKey);
      if (known?.status === 'delivered' && known.targetId) {
        results[index] = alreadyDelivered(known.targetId, idempotencyKey);
      } else if (request.connector.updateMany && request.targetId) {
        const byType = groups.get(request.connector) ?? new Map<string, number[]>();
        groups.set(request.connector, byType);
        const indexes = byType.get(request.targetType) ?? [];
        byType.set(request.targetType, indexes);
        indexes.push(index);
      } else singles.push(index);
    }
    const parts: Promise<void>[] = singles.map(async (index) => {
      results[index] = await this.write(requests[index]!);
    });
    for (const [connector, byType] of groups) {
      for (const [targetType, indexes] of byType) {
        const size = connector.maxBatch ?? indexes.length;
        for (let start = 0; start < indexes.length; start += size)
          parts.push(this.sendBatch(connector, targetType, indexes.slice(start, start + size), requests, results));
      }
    }
    await Promise.all(parts);
    return results;
  }

  private async sendBatch(
    connector: Connector,
    targetType: string,
    part: readonly number[],
    requests: readonly WriteRequest[],
    results: WriteResult[],
  ): Promise<void> {
    const keys = part.map((i) => this.keyOf(requests[i]!));
    let outcomes: (ConnectorError | null)[];
    try {
      outcomes = await withRetries(
        () =>
          connector.updateMany!(
            targetType,
            part.map((i) => ({ targetId: requests[i]!.targetId!, fields: requests[i]!.fields })),
            // One key for the batch, in the UUID form NetSuite asks for: the same writes, the same key.
            uuidOf(keys.join('\n')),
          ),
        (error) => connector.classifyError(error),
        this.policy,
      );
    } catch (error) {
      const failure = writeFailure(error);
      for (const [i, index] of part.entries()) results[index] = { ok: false, idempotencyKey: keys[i]!, ...failure };
      return;
    }
    await Promise.all(
      part.map(async (index, i) => {
        const request = requests[index]!;
        const idempotencyKey = keys[i]!;
        const failure = outcomes[i];
        if (!failure) {
          const triedBefore = this.known.get(idempotencyKey)?.triedBefore ?? false;
          results[index] = this.recordDelivered(
            request,
            idempotencyKey,
            request.targetId!,
            'sync.updated',
            triedBefore,
          );
        } else if (failure.classified.class === 'transient') {
          results[index] = await this.write(request);
        } else {
          results[index] = { ok: false, idempotencyKey, ...writeFailure(failure) };
        }
      }),
    );
  }

  /** Journals a write the target now holds: made (created / updated) or found there (linked). */
  private recordDelivered(
    request: WriteRequest,
    idempotencyKey: string,
    targetId: string,
    action: 'sync.created' | 'sync.updated' | 'sync.linked' | 'sync.found',
    triedBefore: boolean,
  ): WriteResult {
    const { connector } = request;
    this.known.set(idempotencyKey, { status: 'delivered', targetId });
    this.journal.delivered.push({
      idempotencyKey,
      targetId,
      canonicalType: request.canonicalType,
      canonicalId: request.canonicalId,
      ref: { system: connector.system, objectType: request.targetType, externalId: targetId },
      audit: {
        actor: SYNC_ACTOR,
        action,
        target: { type: `${connector.system}.${request.targetType}`, id: targetId },
        after: { routine: this.routine, canonicalId: request.canonicalId, idempotencyKey, fields: request.fields },
      },
    });
    return {
      ok: true,
      targetId,
      idempotencyKey,
      created: action === 'sync.created',
      alreadyDelivered: false,
      triedBefore,
    };
  }
}

/** A write whose key was delivered before: nothing is sent again. */
function alreadyDelivered(targetId: string, idempotencyKey: string): WriteResult {
  return { ok: true, targetId, idempotencyKey, created: false, alreadyDelivered: true, triedBefore: true };
}

/** A failed call to a target, in the terms of an exception (code, message, the target's own words). */
export function writeFailure(
  error: unknown,
): Pick<Extract<WriteResult, { ok: false }>, 'code' | 'message' | 'targetCode' | 'targetMessage'> {
  if (error instanceof RetriesExhausted) {
    return {
      code: 'RETRIES_EXHAUSTED',
      message: error.message,
      targetCode: error.last.code,
      targetMessage: error.last.message,
    };
  }
  if (error instanceof ConnectorError) {
    const c = error.classified;
    const code: ExceptionCodeName =
      c.class === 'auth' ? 'AUTH_FAILED' : c.class === 'config' ? 'CONFIG_ERROR' : 'TARGET_REJECTED';
    return { code, message: `${c.code}: ${c.message}`, targetCode: c.code, targetMessage: c.message };
  }
  throw error;
}
