import { db } from '@/server/db/client';
import type { RoutineName } from '@/server/domain/routines';
import { idempotencyKeyFor } from './identity';
import type { WriteRequest, WriteResult, WriteSink } from './deliverer';

export type PlannedAction = 'create' | 'update' | 'unchanged';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PlannedWrite {
  system: string;
  objectType: string;
  action: PlannedAction;
  key: string;
  /** The key the write would be sent with (the same one every earlier attempt used). */
  idempotencyKey: string;
  targetId: string | null;
  fields: Record<string, unknown>;
  /** For an update: each field whose value at the target differs, as it is there and as it would be;
   *  null when the target could not be read. */
  changes: FieldChange[] | null;
}

const comparable = (value: unknown) =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The fields of a write that differ from the target's current record. */
export function fieldChanges(current: Record<string, unknown>, fields: Record<string, unknown>): FieldChange[] {
  return Object.entries(fields)
    .filter(([field, after]) => comparable(current[field]) !== comparable(after))
    .map(([field, after]) => ({ field, before: current[field] ?? null, after }));
}

/**
 * Stands in for the targets during a dry run: each write is looked up, not made. A key already
 * delivered is "unchanged"; a record the target already holds (identity map, or named by the
 * routine) is an "update"; anything else a "create". Later writes that need a target id get a placeholder.
 */
export class DryRunSink implements WriteSink {
  readonly planned: PlannedWrite[] = [];
  private readonly seen = new Map<string, WriteResult>();

  constructor(private readonly routine: RoutineName) {}

  async prepare(): Promise<void> {}

  updateMany(requests: readonly WriteRequest[]): Promise<WriteResult[]> {
    return Promise.all(requests.map((r) => this.write(r)));
  }

  async write(request: WriteRequest): Promise<WriteResult> {
    const idempotencyKey = idempotencyKeyFor({
      routine: this.routine,
      targetSystem: request.connector.system,
      targetType: request.targetType,
      canonicalId: request.canonicalId,
      contentHash: request.contentHash,
    });
    const known = this.seen.get(idempotencyKey);
    if (known) return known;
    const [delivery, ref] = await Promise.all([
      db().delivery.findUnique({ where: { idempotencyKey } }),
      db().externalRef.findFirst({
        where: { canonicalId: request.canonicalId, system: request.connector.system, objectType: request.targetType },
      }),
    ]);
    // A write found at the target already is recorded, not made.
    const action: PlannedAction =
      delivery?.status === 'delivered' || request.foundAtTarget
        ? 'unchanged'
        : ref || request.targetId
          ? 'update'
          : 'create';
    const targetId = delivery?.targetId ?? request.foundAtTarget ?? request.targetId ?? ref?.externalId ?? null;
    let changes: FieldChange[] | null = null;
    if (action === 'update' && targetId) {
      // Read, never written: what the update would change, field by field.
      const current = await request.connector.get(request.targetType, targetId).catch(() => null);
      changes = current ? fieldChanges(current, request.fields) : null;
    }
    this.planned.push({
      system: request.connector.system,
      objectType: request.targetType,
      action,
      key: request.key,
      idempotencyKey,
      targetId,
      fields: request.fields,
      changes,
    });
    const result: WriteResult = {
      ok: true,
      targetId: targetId ?? `dry-run:${request.targetType}:${request.key}`,
      idempotencyKey,
      created: action === 'create',
      alreadyDelivered: action === 'unchanged',
      triedBefore: delivery !== null,
    };
    this.seen.set(idempotencyKey, result);
    return result;
  }
}
