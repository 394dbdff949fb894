import { connectionServing, connectorFor } from '@/server/services/connections/connections';
import { FieldMappings } from '../field-mappings';

/**
 * The ERP a legal entity is served by, as the routines writing to it need it: its connector, its
 * mappings for the entity, and the entity's subsidiary and currency in the ERP's own ids.
 */
export async function erpTargetFor(entity: { id: string; currency: string }) {
  const connection = await connectionServing('netsuite', entity.id);
  if (!connection) throw new Error(`No enabled ERP connection serves legal entity ${entity.id}.`);
  const mappings = await FieldMappings.load(connection.id, entity.id);
  return {
    connectionId: connection.id,
    connector: await connectorFor(connection.id),
    mappings,
    subsidiary: mappings.sourceOf('legal_entity', entity.id),
    currency: mappings.sourceOf('currency', entity.currency),
  };
}
