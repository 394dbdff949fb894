import Decimal from 'decimal.js';
import type { Account, Opportunity, OpportunityLineItem, OpportunityStage } from './firm-model';
import { firmId } from './firm-ids';
import { isoDay } from './dates';
import { formatMinor, type Minor } from './money';
import type { Random } from './prng';
import { shortName } from './generate-accounts';
import {
  PRACTICES,
  PROJECT_THEMES,
  ROLES,
  costCenterFor,
  type BillingModel,
  type CurrencyCode,
  type Practice,
  type Role,
} from './reference-data';

export const NORMAL_OPPORTUNITIES = 1000;
/** Won deals closed in the last days whose projects the ERP does not have yet. */
export const RECENTLY_WON = 5;

const STAGES: readonly (readonly [OpportunityStage, number])[] = [
  ['Closed Won', 35],
  ['Closed Lost', 22],
  ['Prospecting', 9],
  ['Qualification', 10],
  ['Needs Analysis', 8],
  ['Proposal/Price Quote', 9],
  ['Negotiation/Review', 7],
];

const PROBABILITY: Record<OpportunityStage, number> = {
  Prospecting: 10,
  Qualification: 20,
  'Needs Analysis': 30,
  'Proposal/Price Quote': 60,
  'Negotiation/Review': 80,
  'Closed Won': 100,
  'Closed Lost': 0,
};

const MODELS: readonly (readonly [BillingModel, number])[] = [
  ['time_and_materials', 60],
  ['fixed_fee', 25],
  ['retainer', 15],
];

/** What was agreed with a deal that its project inherits: hourly rates by role and planned length. */
export interface DealTerms {
  rates: Record<Role['id'], Minor>;
  months: number;
  /** Set on a retainer: the monthly fee. */
  monthlyFee: Minor | null;
}

export interface DealBook {
  opportunities: Opportunity[];
  lineItems: OpportunityLineItem[];
  terms: Map<string, DealTerms>;
}

export interface DealSpec {
  account: Account;
  stage: OpportunityStage;
  closeDay: number;
  createdDay: number;
  practiceId?: Practice['id'];
  billingModel?: BillingModel;
  /** Overrides the entity currency (a deal sold in the wrong currency). */
  currency?: CurrencyCode;
}

export function generateDeals(random: Random, accounts: readonly Account[], asOfDay: number): DealBook {
  const book: DealBook = { opportunities: [], lineItems: [], terms: new Map() };
  // A few large clients carry many deals, as in any real pipeline.
  const weights = accounts.map((a) => [a, 1 + random.int(0, 9) * random.int(0, 1)] as const);
  for (let i = 0; i < NORMAL_OPPORTUNITIES; i++) {
    const account = random.weighted(weights);
    const stage = random.weighted(STAGES);
    const closed = stage === 'Closed Won' || stage === 'Closed Lost';
    const closeDay = closed ? asOfDay - random.int(7, 420) : asOfDay + random.int(7, 180);
    const createdDay = closed ? closeDay - random.int(20, 150) : asOfDay - random.int(10, 200);
    addDeal(book, random, { account, stage, closeDay, createdDay });
  }
  const won = book.opportunities.filter((o) => o.stage === 'Closed Won');
  for (let i = 0; i < RECENTLY_WON && won.length > 0; i++) {
    const opportunity = won.splice(random.int(0, won.length - 1), 1)[0]!;
    opportunity.closeDate = isoDay(asOfDay - random.int(0, 6));
  }
  return book;
}

export function addDeal(book: DealBook, random: Random, spec: DealSpec): Opportunity {
  const { account } = spec;
  const n = book.opportunities.length + 1;
  const practiceId = spec.practiceId ?? random.pick(PRACTICES).id;
  const billingModel = spec.billingModel ?? random.weighted(MODELS);
  const currency = spec.currency ?? account.currency;
  const discount = random.pick([85, 90, 95, 100]);
  const rates = Object.fromEntries(
    ROLES.map((role) => [
      role.id,
      new Decimal(role.listRate[currency]).times(discount).dividedBy(100).toDecimalPlaces(0).times(100).toNumber(),
    ]),
  ) as Record<Role['id'], Minor>;

  const id = firmId('opportunity', n);
  const roleCount = random.int(2, ROLES.length);
  const roles = [...ROLES].sort((a, b) => b.staffingWeight - a.staffingWeight).slice(0, roleCount);
  let lineTotal = 0;
  for (const role of roles) {
    const hours = 8 * random.int(5, 100);
    const total = rates[role.id] * hours;
    lineTotal += total;
    const lineN = book.lineItems.length + 1;
    book.lineItems.push({
      id: firmId('lineItem', lineN),
      n: lineN,
      opportunityId: id,
      roleId: role.id,
      name: `${role.name} hours`,
      quantity: String(hours),
      unitPrice: formatMinor(rates[role.id]),
      totalPrice: formatMinor(total),
    });
  }

  let months = random.int(3, 12);
  let amount = lineTotal;
  let monthlyFee: Minor | null = null;
  if (billingModel === 'fixed_fee') {
    months = random.int(2, 6);
    amount = roundTo(new Decimal(lineTotal).times('0.9'), 100_000);
  } else if (billingModel === 'retainer') {
    months = random.int(6, 12);
    monthlyFee = Math.max(50_000, roundTo(new Decimal(lineTotal).dividedBy(months), 50_000));
    amount = monthlyFee * months;
  }
  book.terms.set(id, { rates, months, monthlyFee });

  const opportunity: Opportunity = {
    id,
    n,
    accountId: account.id,
    name: `${shortName(account)} - ${random.pick(PROJECT_THEMES[practiceId])}`,
    entityId: account.entityId,
    practiceId,
    costCenterId: costCenterFor(account.entityId, practiceId).id,
    billingModel,
    stage: spec.stage,
    probability: PROBABILITY[spec.stage],
    createdDate: isoDay(spec.createdDay),
    closeDate: isoDay(spec.closeDay),
    amount: formatMinor(amount),
    currency,
  };
  book.opportunities.push(opportunity);
  return opportunity;
}

/** Rounds minor units to a multiple of `step` minor units, half up. */
function roundTo(value: Decimal, step: number): Minor {
  return value.dividedBy(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(step).toNumber();
}
