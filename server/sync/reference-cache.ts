import { env } from '@/env';
import type { Connector, PulledRecord } from '@/server/connectors/connector';
import { db, type Tx } from '@/server/db/client';
import { canonicalIdFor } from './pipeline/identity';
import { text } from './pipeline/source-values';
import { readWindow } from './read-window';

/** A kind of reference data, and the source fields it is looked up by. */
export interface ReferenceType {
  objectType: string;
  /** The field naming the record it hangs from (a project's customer, a rate card's project). */
  parentField?: string;
  subsidiaryField?: string;
}

const PAGE_SIZE = 1000;
// A first read of a large firm's reference data takes a while; later ones read only the change.
const REFRESH_TIMEOUT_MS = 10 * 60_000;

/**
 * Reference data of one source connection (projects, customers, rate cards), kept in our database
 * and brought up to date at the start of each run by reading only what the source changed since
 * the last read: the connector's incremental pull from a cursor per object type, started
 * READ_OVERLAP_SECONDS before it, so a save that landed late in a second already read is read
 * again. Lookups then read only the records a batch refers to.
 *
 * A record the source reports deleted (Salesforce's recycle bin) is removed here. What a source
 * deletes without trace (NetSuite's REST reads show no deleted records) stays; billing treats its
 * reference records as retired by their inactive flag, which is a change and is read.
 */
export class ReferenceCache {
  constructor(
    readonly connectionId: string,
    private readonly source: Connector,
  ) {}

  /**
   * Reads what the source changed since the last refresh and stores it; returns how many records
   * were read. Refreshes of one connection and type take turns (runs of several entities start
   * together), so a slower read never writes an older version over a newer one.
   */
  async refresh(type: ReferenceType): Promise<number> {
    return db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reference:${this.connectionId}:${type.objectType}`}))`;
        const saved = await tx.referenceCursor.findUnique({
          where: { connectionId_objectType: { connectionId: this.connectionId, objectType: type.objectType } },
        });
        const window = readWindow(this.source, type.objectType, saved?.cursor ?? null, {
          overlapMs: env.READ_OVERLAP_SECONDS * 1000,
          rescanFrom: null,
        });
        let cursor = window.start;
        let read = 0;
        for (;;) {
          // Records saved in the source's current second too: reference data is used as it is
          // now, and the overlap of the next refresh reads that second again.
          const page = await this.source.pull(type.objectType, cursor, PAGE_SIZE, undefined, {
            includeUnsettled: true,
            includeDeleted: true,
          });
          await this.store(tx, type, page.records);
          read += page.records.length;
          cursor = page.nextCursor;
          if (!page.hasMore || page.records.length === 0) break;
        }
        const kept = window.keep(cursor);
        if (kept !== null && kept !== saved?.cursor) {
          await tx.$executeRaw`
            INSERT INTO "ReferenceCursor" ("connectionId", "objectType", cursor, "updatedAt")
            VALUES (${this.connectionId}::uuid, ${type.objectType}, ${kept}, now())
            ON CONFLICT ("connectionId", "objectType") DO UPDATE SET cursor = EXCLUDED.cursor, "updatedAt" = now()`;
        }
        return read;
      },
      { timeout: REFRESH_TIMEOUT_MS, maxWait: REFRESH_TIMEOUT_MS },
    );
  }

  /** One statement per page, and one for the page's deletions. */
  private async store(tx: Tx, type: ReferenceType, pulled: readonly PulledRecord[]): Promise<void> {
    const deleted = pulled.filter((r) => r.deleted).map((r) => r.externalId);
    if (deleted.length > 0) {
      await tx.$executeRaw`
        DELETE FROM "ReferenceRecord"
        WHERE "connectionId" = ${this.connectionId}::uuid AND "objectType" = ${type.objectType}
          AND "externalId" = ANY(${deleted}::text[])`;
    }
    const records = pulled.filter((r) => !r.deleted);
    if (records.length === 0) return;
    const field = (name: string | undefined) => records.map((r) => (name ? (text(r.data, name) ?? null) : null));
    await tx.$executeRaw`
      INSERT INTO "ReferenceRecord" (
        "connectionId", "objectType", "externalId", "canonicalId", "parentId", subsidiary, "changedAt", data, "updatedAt")
      SELECT ${this.connectionId}::uuid, ${type.objectType}, v.external_id, v.canonical_id::uuid, v.parent_id, v.subsidiary,
        v.changed_at::timestamptz, v.data::jsonb, now()
      FROM unnest(
        ${records.map((r) => r.externalId)}::text[],
        ${records.map((r) => canonicalIdFor(this.source.system, r.objectType, r.externalId))}::text[],
        ${field(type.parentField)}::text[],
        ${field(type.subsidiaryField)}::text[],
        ${records.map((r) => r.changedAt)}::text[],
        ${records.map((r) => JSON.stringify(r.data))}::text[]
      ) AS v(external_id, canonical_id, parent_id, subsidiary, changed_at, data)
      ON CONFLICT ("connectionId", "objectType", "externalId") DO UPDATE SET
        "parentId" = EXCLUDED."parentId", subsidiary = EXCLUDED.subsidiary, "changedAt" = EXCLUDED."changedAt",
        data = EXCLUDED.data, "updatedAt" = EXCLUDED."updatedAt"
      WHERE "ReferenceRecord".data IS DISTINCT FROM EXCLUDED.data
        OR "ReferenceRecord"."changedAt" IS DISTINCT FROM EXCLUDED."changedAt"`;
  }

  /** The stored records of a type with these ids (of one subsidiary, when given). */
  async byIds(objectType: string, ids: readonly string[], subsidiary?: string): Promise<PulledRecord[]> {
    if (ids.length === 0) return [];
    return toPulled(
      objectType,
      await db().$queryRaw<StoredRow[]>`
        SELECT "externalId", "changedAt", data FROM "ReferenceRecord"
        WHERE "connectionId" = ${this.connectionId}::uuid AND "objectType" = ${objectType}
          AND "externalId" = ANY(${[...new Set(ids)]}::text[])
          AND (${subsidiary ?? null}::text IS NULL OR subsidiary = ${subsidiary ?? null}::text)
        ORDER BY "changedAt", length("externalId"), "externalId"`,
    );
  }

  /**
   * The stored records of a type (of one subsidiary, when given) whose `field` is one of `values`
   * once each is trimmed, lower-cased and its runs of white space made one space.
   */
  async byNormalizedText(
    objectType: string,
    field: string,
    values: readonly string[],
    subsidiary?: string,
  ): Promise<PulledRecord[]> {
    if (values.length === 0) return [];
    return toPulled(
      objectType,
      await db().$queryRaw<StoredRow[]>`
        SELECT "externalId", "changedAt", data FROM "ReferenceRecord"
        WHERE "connectionId" = ${this.connectionId}::uuid AND "objectType" = ${objectType}
          AND btrim(regexp_replace(lower(data->>${field}), '\\s+', ' ', 'g')) = ANY(${[...new Set(values.map(normalizedText))]}::text[])
          AND (${subsidiary ?? null}::text IS NULL OR subsidiary = ${subsidiary ?? null}::text)
        ORDER BY "changedAt", length("externalId"), "externalId"`,
    );
  }

  /** The stored records of a type hanging from these parents, in the source's order of change. */
  async byParents(objectType: string, parentIds: readonly string[]): Promise<PulledRecord[]> {
    if (parentIds.length === 0) return [];
    return toPulled(
      objectType,
      await db().$queryRaw<StoredRow[]>`
        SELECT "externalId", "changedAt", data FROM "ReferenceRecord"
        WHERE "connectionId" = ${this.connectionId}::uuid AND "objectType" = ${objectType}
          AND "parentId" = ANY(${[...new Set(parentIds)]}::text[])
        ORDER BY "changedAt", length("externalId"), "externalId"`,
    );
  }
}

/** Trimmed, lower-cased, runs of white space as one space: how names are compared. */
export const normalizedText = (value: string) => value.trim().toLowerCase().replace(/\s+/g, ' ');

interface StoredRow {
  externalId: string;
  changedAt: Date;
  data: Record<string, unknown>;
}

function toPulled(objectType: string, rows: readonly StoredRow[]): PulledRecord[] {
  return rows.map((r) => ({
    objectType,
    externalId: r.externalId,
    changedAt: r.changedAt.toISOString(),
    data: r.data,
  }));
}
