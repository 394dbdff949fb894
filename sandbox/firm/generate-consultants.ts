import type { Consultant } from './firm-model';
import { firmId } from './firm-ids';
import type { Random } from './prng';
import { FIRST_NAMES, LAST_NAMES, LEGAL_ENTITIES, PRACTICES, ROLES, type EntityId } from './reference-data';

const ENTITY_SHARE: readonly (readonly [EntityId, number])[] = [
  ['US', 45],
  ['UK', 30],
  ['DE', 25],
];

/** The firm's headcount grows with the amount of time it books, so entries per person stay plausible. */
export function consultantCount(scale: number): number {
  return Math.min(12_000, Math.max(45, Math.ceil(scale / 110)));
}

export function generateConsultants(random: Random, scale: number): Consultant[] {
  const count = consultantCount(scale);
  const roles = ROLES.map((r) => [r.id, r.staffingWeight] as const);
  const consultants: Consultant[] = [];
  for (let n = 1; n <= count; n++) {
    // The first rounds place one person of each entity and practice, so no team is ever empty.
    const seeded = n <= LEGAL_ENTITIES.length * PRACTICES.length;
    const entityId = seeded ? LEGAL_ENTITIES[(n - 1) % LEGAL_ENTITIES.length]!.id : random.weighted(ENTITY_SHARE);
    const practiceId = seeded ? PRACTICES[Math.floor((n - 1) / LEGAL_ENTITIES.length)]!.id : random.pick(PRACTICES).id;
    const first = random.pick(FIRST_NAMES[entityId]);
    const last = random.pick(LAST_NAMES[entityId]);
    consultants.push({
      id: firmId('consultant', n),
      n,
      name: `${first} ${last}`,
      email: `${ascii(first)}.${ascii(last)}.${n}@syncwright-consulting.example`,
      entityId,
      practiceId,
      roleId: seeded ? 'principal' : random.weighted(roles),
    });
  }
  return consultants;
}

function ascii(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}
