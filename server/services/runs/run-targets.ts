import type { Tx } from '@/server/db/client';
import { ROUTINE_FACTS, type RoutineName } from '@/server/domain/routines';

export interface RunTarget {
  connectionId: string;
  connectionName: string;
  legalEntityId: string;
}

/** Every enabled source connection of the routine × each known legal entity it serves. */
export async function findRunTargets(tx: Tx, routine: RoutineName): Promise<RunTarget[]> {
  const [connections, entities] = await Promise.all([
    tx.connection.findMany({
      where: { system: ROUTINE_FACTS[routine].sourceSystem, enabled: true },
      orderBy: { name: 'asc' },
      select: { id: true, name: true, legalEntityIds: true },
    }),
    tx.legalEntity.findMany({ select: { id: true } }),
  ]);
  const known = new Set(entities.map((e) => e.id));
  return connections.flatMap((connection) =>
    [...new Set(connection.legalEntityIds)]
      .filter((id) => known.has(id))
      .sort()
      .map((legalEntityId) => ({ connectionId: connection.id, connectionName: connection.name, legalEntityId })),
  );
}
