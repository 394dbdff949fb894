import type { Account } from './firm-model';
import { firmId } from './firm-ids';
import { isoDay } from './dates';
import type { Random } from './prng';
import { CITIES, COMPANY_WORDS, INDUSTRIES, STREETS, legalEntity, type EntityId } from './reference-data';

export const ACCOUNTS_PER_ENTITY: Record<EntityId, number> = { US: 90, UK: 60, DE: 50 };

/** The firm's clients: unique names per entity, each with its tax registration on file. */
export function generateAccounts(random: Random, asOfDay: number): Account[] {
  const accounts: Account[] = [];
  const names = new Set<string>();
  for (const entityId of ['US', 'UK', 'DE'] as const) {
    for (let i = 0; i < ACCOUNTS_PER_ENTITY[entityId]; i++) {
      const name = uniqueCompanyName(random, entityId, names);
      accounts.push(newAccount(random, accounts.length + 1, name, entityId, asOfDay - random.int(400, 1500)));
    }
  }
  return accounts;
}

export function newAccount(random: Random, n: number, name: string, entityId: EntityId, createdDay: number): Account {
  const entity = legalEntity(entityId);
  const [city, state, postalCode] = random.pick(CITIES[entityId]);
  return {
    id: firmId('account', n),
    n,
    name,
    entityId,
    country: entity.country,
    currency: entity.currency,
    industry: random.pick(INDUSTRIES),
    type: 'Prospect',
    billingAddress: {
      line1: `${random.int(1, 250)} ${random.pick(STREETS[entityId])}`,
      city,
      state,
      postalCode,
      country: entity.country,
    },
    billingEmail: `accounts-payable@${slug(name)}.example`,
    taxRegistration: taxRegistration(random, entityId),
    createdDate: isoDay(createdDay),
    duplicateOf: null,
  };
}

export function uniqueCompanyName(random: Random, entityId: EntityId, taken: Set<string>): string {
  const words = COMPANY_WORDS[entityId];
  for (;;) {
    const name = `${random.pick(words.first)} ${random.pick(words.second)} ${random.pick(words.suffix)}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** EIN for US customers, VAT number for UK, USt-IdNr. for DE, in their printed formats. */
function taxRegistration(random: Random, entityId: EntityId): string {
  const digits = (count: number) => Array.from({ length: count }, () => random.int(0, 9)).join('');
  if (entityId === 'US') return `${random.int(10, 99)}-${digits(7)}`;
  if (entityId === 'UK') return `GB${random.int(1, 9)}${digits(8)}`;
  return `DE${random.int(1, 9)}${digits(8)}`;
}

/** The name without its legal suffix, as people write it in deal names. */
export function shortName(account: Account): string {
  const words = account.name.split(' ');
  return words.slice(0, 2).join(' ');
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
