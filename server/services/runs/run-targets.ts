import type { Tx } from '@/server/db/client';
import type { SystemName } from '@/server/domain/canonical/canonical-record';
import type { RoutineName } from '@/server/domain/routines';

/** The system each routine reads from; a run is per source connection and legal entity. */
export const ROUTINE_SOURCE_SYSTEM: Record<RoutineName, SystemName> = {
  project_activation: 'salesforce',
  billing_eligibility: 'netsuite',
  invoice_status: 'stripe',
  change_orders: 'salesforce',
};

export const SYSTEM_LABELS: Record<SystemName, string> = {
  salesforce: 'Salesforce',
  netsuite: 'NetSuite',
  stripe: 'Stripe',
};

export interface RunTarget {
  connectionId: string;
  connectionName: string;
  legalEntityId: string;
}

/** Every enabled source connection of the routine × each known legal entity it serves. */
export async function findRunTargets(tx: Tx, routine: RoutineName): Promise<RunTarget[]> {
  const [connections, entities] = await Promise.all([
    tx.connection.findMany({
      where: { system: ROUTINE_SOURCE_SYSTEM[routine], enabled: true },
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
