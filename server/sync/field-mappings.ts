import { db } from '@/server/db/client';

/** The value mappings of one connection and legal entity, by kind then source value. */
export class FieldMappings {
  constructor(private readonly byKind: Map<string, Map<string, string>>) {}

  static async load(connectionId: string, legalEntityId: string): Promise<FieldMappings> {
    const rows = await db().fieldMapping.findMany({ where: { connectionId, legalEntityId } });
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

  /** The source value mapped to `targetValue` (e.g. the subsidiary id of a legal entity). */
  sourceOf(kind: string, targetValue: string): string | undefined {
    for (const [source, target] of this.byKind.get(kind) ?? []) if (target === targetValue) return source;
    return undefined;
  }
}
