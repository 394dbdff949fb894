import { db, type Tx } from '@/server/db/client';

/** The newest published version of one scope's value mappings; 1 while none has been published. */
export async function activeFieldMappingVersion(
  connectionId: string,
  legalEntityId: string,
  client: Tx = db(),
): Promise<number> {
  const newest = await client.fieldMappingVersion.findFirst({
    where: { connectionId, legalEntityId },
    orderBy: { version: 'desc' },
    select: { version: true },
  });
  return newest?.version ?? 1;
}

/** The value mappings of one connection and legal entity, by kind then source value. */
export class FieldMappings {
  constructor(private readonly byKind: Map<string, Map<string, string>>) {}

  /** The mappings in force: those of the scope's newest published version. */
  static async load(connectionId: string, legalEntityId: string, client: Tx = db()): Promise<FieldMappings> {
    const version = await activeFieldMappingVersion(connectionId, legalEntityId, client);
    return FieldMappings.of(await client.fieldMapping.findMany({ where: { connectionId, legalEntityId, version } }));
  }

  /** Mappings from rows (e.g. a draft's, for a preview). */
  static of(rows: readonly { kind: string; sourceValue: string; targetValue: string }[]): FieldMappings {
    const byKind = new Map<string, Map<string, string>>();
    for (const row of rows) {
      if (!byKind.has(row.kind)) byKind.set(row.kind, new Map());
      byKind.get(row.kind)!.set(row.sourceValue, row.targetValue);
    }
    return new FieldMappings(byKind);
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
}
