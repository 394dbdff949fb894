import { db } from '@/server/db/client';

/** The legal entities a connection may serve, for the admin's choice. */
export async function listLegalEntities(): Promise<{ id: string; name: string }[]> {
  return db().legalEntity.findMany({ select: { id: true, name: true }, orderBy: { id: 'asc' } });
}
