import Decimal from 'decimal.js';
import type { RoutineName } from './routines';

export type TeamName = 'finance' | 'operations' | 'integration';
export type PriorityName = 'low' | 'normal' | 'high' | 'urgent';

export interface RoutingRuleInput {
  position: number;
  routine: RoutineName | null;
  code: string | null;
  legalEntityId: string | null;
  /** Matches when the exception's amount is at least this. */
  minAmount: string | null;
  /** Matches when the exception's amount is at most this. */
  maxAmount?: string | null;
  /** The currency of the amount range: an amount rule only matches exceptions in this currency.
   *  Rules saved before ranges carried a currency leave it unset and compare the bare amount. */
  amountCurrency?: string | null;
  team: TeamName;
  priority: PriorityName;
  dueHours: number;
  enabled: boolean;
}

export interface ExceptionFacts {
  routine: RoutineName;
  code: string;
  legalEntityId: string | null;
  amount: string | null;
  currency?: string | null;
}

export interface Placement {
  team: TeamName;
  priority: PriorityName;
  dueHours: number;
  rulePosition: number | null;
}

/** When no rule matches, someone still owns it. */
export const FALLBACK_PLACEMENT: Placement = {
  team: 'integration',
  priority: 'normal',
  dueHours: 72,
  rulePosition: null,
};

function amountMatches(rule: RoutingRuleInput, facts: ExceptionFacts): boolean {
  if (!rule.minAmount && !rule.maxAmount) return true;
  if (facts.amount === null) return false;
  if (rule.amountCurrency && rule.amountCurrency !== facts.currency) return false;
  const amount = new Decimal(facts.amount);
  if (rule.minAmount && amount.lt(rule.minAmount)) return false;
  if (rule.maxAmount && amount.gt(rule.maxAmount)) return false;
  return true;
}

/** The first enabled rule, by position, whose every set field matches. */
export function placeException(rules: readonly RoutingRuleInput[], facts: ExceptionFacts): Placement {
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.position - b.position);
  for (const rule of ordered) {
    if (rule.routine && rule.routine !== facts.routine) continue;
    if (rule.code && rule.code !== facts.code) continue;
    if (rule.legalEntityId && rule.legalEntityId !== facts.legalEntityId) continue;
    if (!amountMatches(rule, facts)) continue;
    return { team: rule.team, priority: rule.priority, dueHours: rule.dueHours, rulePosition: rule.position };
  }
  return FALLBACK_PLACEMENT;
}

type SeedRule = Omit<RoutingRuleInput, 'position' | 'enabled'>;
const rule = (r: Partial<SeedRule> & Pick<SeedRule, 'team' | 'priority' | 'dueHours'>): SeedRule => ({
  routine: null,
  code: null,
  legalEntityId: null,
  minAmount: null,
  ...r,
});

/** The seeded defaults: technical failures to integration, billing to finance, delivery to operations. */
export const DEFAULT_ROUTING_RULES: SeedRule[] = [
  rule({ code: 'RETRIES_EXHAUSTED', team: 'integration', priority: 'high', dueHours: 24 }),
  rule({ code: 'AUTH_FAILED', team: 'integration', priority: 'urgent', dueHours: 8 }),
  rule({ code: 'CONFIG_ERROR', team: 'integration', priority: 'high', dueHours: 24 }),
  rule({ routine: 'billing_eligibility', minAmount: '10000', team: 'finance', priority: 'urgent', dueHours: 24 }),
  rule({ routine: 'billing_eligibility', code: 'TARGET_REJECTED', team: 'finance', priority: 'high', dueHours: 24 }),
  rule({ routine: 'billing_eligibility', code: 'TAX_CODE_MISSING', team: 'finance', priority: 'high', dueHours: 48 }),
  rule({ routine: 'billing_eligibility', code: 'CURRENCY_MISMATCH', team: 'finance', priority: 'high', dueHours: 48 }),
  rule({
    routine: 'billing_eligibility',
    code: 'RATE_CARD_MISSING',
    team: 'operations',
    priority: 'high',
    dueHours: 48,
  }),
  rule({ routine: 'billing_eligibility', team: 'finance', priority: 'normal', dueHours: 72 }),
  rule({ routine: 'invoice_status', team: 'finance', priority: 'normal', dueHours: 72 }),
  rule({ routine: 'project_activation', team: 'operations', priority: 'high', dueHours: 48 }),
  rule({ routine: 'change_orders', team: 'operations', priority: 'normal', dueHours: 72 }),
];
