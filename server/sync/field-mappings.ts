import { db, type Tx } from '@/server/db/client';
import { SOURCE_RECORDS, type FieldMapRow, type SourceRecordName } from '@/server/domain/field-maps';
import { mapFields } from '@/server/domain/field-transforms';

/** The newest published version of one scope, with its field maps; version 1 without any while none has been published. */
async function newestVersion(connectionId: string, legalEntityId: string, client: Tx) {
  const newest = await client.fieldMappingVersion.findFirst({
    where: { connectionId, legalEntityId },
    orderBy: { version: 'desc' },
    select: { version: true, fieldMaps: true },
  });
  return { version: newest?.version ?? 1, fieldMaps: (newest?.fieldMaps ?? []) as unknown as FieldMapRow[] };
}

/** The newest published version of one scope's value mappings; 1 while none has been published. */
export async function activeFieldMappingVersion(
  connectionId: string,
  legalEntityId: string,
  client: Tx = db(),
): Promise<number> {
  return (await newestVersion(connectionId, legalEntityId, client)).version;
}

/**
 * The mappings of one connection and legal entity: its value maps, by kind then source value, and
 * its field maps, which override attributes of a routine's built-in mapping of a source record.
 */
export class FieldMappings {
  constructor(
    private readonly byKind: Map<string, Map<string, string>>,
    private readonly fieldMaps: readonly FieldMapRow[] = [],
  ) {}

  /** The mappings in force: those of the scope's newest published version. */
  static async load(connectionId: string, legalEntityId: string, client: Tx = db()): Promise<FieldMappings> {
    const { version, fieldMaps } = await newestVersion(connectionId, legalEntityId, client);
    return FieldMappings.of(
      await client.fieldMapping.findMany({ where: { connectionId, legalEntityId, version } }),
      fieldMaps,
    );
  }

  /** Mappings from rows (e.g. a draft's, for a preview). */
  static of(
    rows: readonly { kind: string; sourceValue: string; targetValue: string }[],
    fieldMaps: readonly FieldMapRow[] = [],
  ): FieldMappings {
    const byKind = new Map<string, Map<string, string>>();
    for (const row of rows) {
      if (!byKind.has(row.kind)) byKind.set(row.kind, new Map());
      byKind.get(row.kind)!.set(row.sourceValue, row.targetValue);
    }
    return new FieldMappings(byKind, fieldMaps);
  }

  get(kind: string, sourceValue: string): string | undefined {
    return this.byKind.get(kind)?.get(sourceValue);
  }

  /**
   * `value` as the scope maps it: itself while the scope maps no value of that kind (both systems
   * use the same names), undefined once it maps others but not this one, so the record is held
   * rather than sent with a name the target does not know.
   */
  translate(kind: string, value: string): string | undefined {
    const map = this.byKind.get(kind);
    return map ? map.get(value) : value;
  }

  /** The source value mapped to `targetValue` (e.g. the subsidiary id of a legal entity). */
  sourceOf(kind: string, targetValue: string): string | undefined {
    for (const [source, target] of this.byKind.get(kind) ?? []) if (target === targetValue) return source;
    return undefined;
  }

  /**
   * The canonical attributes this scope's field maps give a source record, each checked against
   * its schema, with what failed per attribute; a lookup reads this scope's value maps.
   */
  mapFields(source: SourceRecordName, data: Record<string, unknown>): ReturnType<typeof mapFields> {
    const maps = this.fieldMaps.filter((m) => m.source === source);
    if (maps.length === 0) return { attributes: {}, problems: [] };
    return mapFields(SOURCE_RECORDS[source].canonicalType, data, maps, (kind, value) => this.get(kind, value));
  }
}
