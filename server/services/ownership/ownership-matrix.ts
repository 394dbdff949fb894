import { SYSTEMS, type SystemName } from '@/server/domain/canonical/canonical-record';
import { CANONICAL_SCHEMAS } from '@/server/domain/canonical/schemas';
import { BILLING_INVOICE_RULES, BILLING_REFERENCE_RULES } from '@/server/domain/ownership';
import type { TeamName } from '@/server/domain/routing';

export const TEAMS: readonly TeamName[] = ['finance', 'operations', 'integration'];
export { SYSTEMS };

/** Fields every canonical record carries that say what it is and where it came from, not content. */
const IDENTITY = new Set(['id', 'legalEntityId', 'schemaVersion', 'externalRefs', 'sourceChangedAt']);

/** Attributes billing writes back onto records of other systems; no canonical schema carries them. */
const WRITE_BACK = [...BILLING_REFERENCE_RULES, ...BILLING_INVOICE_RULES];

/**
 * Every canonical object type with the attributes ownership can be declared for, read from the
 * canonical schemas so a new type or attribute appears here without anyone listing it.
 */
export function ownershipCatalogue(): { objectType: string; attributes: string[] }[] {
  return Object.entries(CANONICAL_SCHEMAS).map(([objectType, schema]) => {
    const attributes = Object.keys(schema.shape).filter((a) => !IDENTITY.has(a));
    for (const rule of WRITE_BACK) {
      if (rule.objectType === objectType && !attributes.includes(rule.attribute)) attributes.push(rule.attribute);
    }
    return { objectType, attributes };
  });
}

export function isSystem(value: string): value is SystemName {
  return (SYSTEMS as readonly string[]).includes(value);
}

export function isTeam(value: string): value is TeamName {
  return (TEAMS as readonly string[]).includes(value);
}
