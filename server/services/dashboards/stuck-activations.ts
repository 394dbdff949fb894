import { db } from '@/server/db/client';
import type { DashboardScope } from './dashboard-scope';
import { OPEN_STATUSES } from './dashboard-settings';
import { entityIds } from './scoped-dashboard';

export interface StuckActivation {
  exceptionId: string;
  opportunityId: string;
  legalEntityId: string;
  entityName: string;
  region: string;
  heldSince: Date;
  ageHours: number;
  /** The deal's amount as a decimal string, with its currency. */
  amount: string | null;
  currency: string | null;
  code: string;
  message: string;
}

export interface StuckActivations {
  slaHours: number;
  total: number;
  byEntity: { legalEntityId: string; entityName: string; region: string; count: number }[];
  byRegion: { region: string; count: number }[];
  items: StuckActivation[];
}

interface HeldDeal {
  exceptionId: string;
  opportunityId: string;
  legalEntityId: string;
  heldSince: Date;
  amount: string | null;
  currency: string | null;
  code: string;
  message: string;
}

/**
 * Closed-won deals held without a project past the SLA. Every won deal the activation routine
 * cannot carry through ends in an exception on the deal (one outcome per record), so the deals
 * still held are the open activation exceptions; a deal held twice counts once, by its latest.
 * The age counts from when the routine first held the deal.
 */
export async function heldDeals(entities: string[], now: Date, slaHours: number): Promise<HeldDeal[]> {
  const cutoff = new Date(now.getTime() - slaHours * 3_600_000);
  // The latest exception of each held deal from the activation index alone (migration
  // activation_subject), then only those rows read; as an array, so each is one index probe.
  return db().$queryRaw<HeldDeal[]>`
    SELECT e.id AS "exceptionId", e."subjectExternalId" AS "opportunityId", e."legalEntityId",
      e."firstSeenAt" AS "heldSince", e.amount::text AS amount, e.currency, e.code, e.message
    FROM "SyncException" e
    WHERE e.id = ANY(ARRAY(
      SELECT DISTINCT ON ("subjectExternalId") id FROM "SyncException"
      WHERE routine = 'project_activation' AND "objectType" = 'Engagement'
        AND status = ANY(${[...OPEN_STATUSES]}::"ExceptionStatus"[])
        AND "legalEntityId" = ANY(${entities}) AND "firstSeenAt" <= ${cutoff}
      ORDER BY "subjectExternalId", "firstSeenAt" DESC, id DESC))
    ORDER BY e."firstSeenAt", e."subjectExternalId"`;
}

export async function stuckActivations(options: {
  scope: DashboardScope;
  now: Date;
  slaHours: number;
}): Promise<StuckActivations> {
  const { scope, now, slaHours } = options;
  const deals = await heldDeals(entityIds(scope), now, slaHours);
  const entityOf = new Map(scope.entities.map((e) => [e.id, e]));
  const items = deals.map((d) => {
    const entity = entityOf.get(d.legalEntityId)!;
    return {
      ...d,
      entityName: entity.name,
      region: entity.region,
      ageHours: Math.floor((now.getTime() - d.heldSince.getTime()) / 3_600_000),
    };
  });
  const byEntity = scope.entities.map((e) => ({
    legalEntityId: e.id,
    entityName: e.name,
    region: e.region,
    count: items.filter((i) => i.legalEntityId === e.id).length,
  }));
  const regions = [...new Set(scope.entities.map((e) => e.region))].sort();
  const byRegion = regions.map((region) => ({
    region,
    count: items.filter((i) => i.region === region).length,
  }));
  return { slaHours, total: items.length, byEntity, byRegion, items };
}
