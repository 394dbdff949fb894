import type { SystemName } from '@/server/domain/canonical/canonical-record';

/**
 * The one contract every external system is reached through. Connectors know HTTP and the
 * service's own shapes; they never touch the database (services persist what they return).
 */

/** transient: retry later (timeouts, resets, 429, 5xx). business: the target refused this record
 *  (validation, duplicates) — an exception at once. auth: credentials refused. config: our own
 *  setup is wrong (unknown object, bad URL). */
export type ErrorClass = 'transient' | 'business' | 'auth' | 'config';

export interface ClassifiedError {
  class: ErrorClass;
  /** The target's own code (e.g. REQUIRED_FIELD_MISSING, USER_ERROR, idempotency_error), or ours
   *  for failures without one (TIMEOUT, NETWORK). */
  code: string;
  /** The target's own message, kept for the exception. */
  message: string;
  status?: number;
  field?: string;
  /** How long the target asked us to wait, when it said. */
  retryAfterMs?: number;
}

export class ConnectorError extends Error {
  constructor(readonly classified: ClassifiedError) {
    super(`${classified.code}: ${classified.message}`);
    this.name = 'ConnectorError';
  }
}

export interface PulledRecord {
  objectType: string;
  externalId: string;
  /** When the source last changed it (ISO 8601, UTC). */
  changedAt: string;
  data: Record<string, unknown>;
  /** Deleted at the source: read only when asked for (`PullOptions.includeDeleted`). */
  deleted?: boolean;
}

/** Field → value the record must have; null: the field must be empty. */
export type PullFilter = Readonly<Record<string, string | null>>;

export interface PullOptions {
  /** Also records stamped in the second the source is still writing in: reference data read as
   *  it is now. A cursor from such a read may have passed records still to be saved into that
   *  second, so an incremental read never asks for this. */
  includeUnsettled?: boolean;
  /** Also records deleted since, marked `deleted`, where the source keeps them to be read
   *  (Salesforce's recycle bin, through queryAll); a copy kept of the source learns of deletions
   *  this way. Sources that do not keep them return live records only. */
  includeDeleted?: boolean;
}

export interface PullResult {
  records: PulledRecord[];
  /** Opaque; pass it back to continue after the last record returned. */
  nextCursor: string | null;
  hasMore: boolean;
}

export interface UpsertInput {
  /** Our stable key for the record in the target: the external-id field in Salesforce,
   *  `externalId` in NetSuite, `metadata.syncwright_id` in Stripe. */
  key: string;
  /** The target's own id when it is already known from the identity map (an update). */
  targetId?: string | null;
  /** Fields in the target's own names and shapes. */
  fields: Record<string, unknown>;
}

export interface UpsertResult {
  externalId: string;
  created: boolean;
}

/** One record to look for by the key an earlier upsert stamped on it. */
export interface KeyLookup {
  key: string;
  /** The object the record was written onto (an invoice item's draft), where the write named one. */
  parentId?: string | null;
  /** The fields that write sent, in the target's names: where the target is searched by them. */
  fields: Record<string, unknown>;
}

export interface Connector {
  readonly system: SystemName;
  /** Records of `objectType` changed after `cursor` (null = from the beginning), oldest first,
   *  and — where the source stamps changes by the second — only seconds that have closed on its
   *  clock (see `PullOptions`).
   *  `filter`: conditions on the source's own field names (e.g. one legal entity's subsidiary, or
   *  an empty "billed" field), applied by the source so other records are never read. */
  pull(
    objectType: string,
    cursor: string | null,
    limit: number,
    filter?: PullFilter,
    options?: PullOptions,
  ): Promise<PullResult>;
  /** A cursor from which `pull` reads again every record of `objectType` the source changed at or
   *  after `since` (by its own clock, before the cursor's time), and on to whatever `cursor` still
   *  had ahead: a read that looks over ground already covered. `cursor` itself where reading
   *  again would do harm (Stripe's events carry old states of an invoice). */
  rewind(objectType: string, cursor: string, since: Date): string;
  /** How far a cursor this connector wrote has read: the source's change time it has reached. */
  cursorTime(objectType: string, cursor: string): Date;
  get(objectType: string, externalId: string): Promise<Record<string, unknown> | null>;
  /** The records of a pulled `objectType` with these ids as the source holds them now, in the
   *  shape `pull` gives them (so a routine judges them as it judges pulled ones), in as few
   *  requests as the service allows. An id the source no longer has (deleted) is left out. */
  readCurrent(objectType: string, externalIds: readonly string[]): Promise<PulledRecord[]>;
  /** Creates or updates. The same key or idempotency key never creates a second record. Throws
   *  ConnectorError; never retries by itself (the pipeline owns the retry budget). */
  upsert(objectType: string, input: UpsertInput, idempotencyKey: string): Promise<UpsertResult>;
  /** Updates of records known by the target's own id, many in one request where the service has
   *  batch operations (NetSuite: up to `maxBatch`). One outcome per update, in order: null when it
   *  was made, the ConnectorError it failed with otherwise. Throws ConnectorError when the request
   *  as a whole fails; never retries by itself. Targets without batch operations have none. */
  updateMany?(
    objectType: string,
    updates: readonly { targetId: string; fields: Record<string, unknown> }[],
    idempotencyKey: string,
  ): Promise<(ConnectorError | null)[]>;
  /** The most updates one `updateMany` call takes. */
  readonly maxBatch?: number;
  /** For targets whose idempotency keys expire (Stripe: 24 hours): the target's ids of the records
   *  earlier writes stamped with these keys, key → id; keys not found are left out. Throws
   *  ConnectorError. Targets that create by our key itself (external-id upserts) need none. */
  findByKeys?(objectType: string, lookups: readonly KeyLookup[]): Promise<Map<string, string>>;
  classifyError(error: unknown): ClassifiedError;
}
