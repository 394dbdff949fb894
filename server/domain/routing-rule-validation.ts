import Decimal from 'decimal.js';
import { EXCEPTION_CATALOGUE } from './exception-catalogue';
import { ROUTINES } from './routines';
import type { RoutingRuleInput } from './routing';

/** What the firm knows that a rule may name; codes and routines come from the catalogue. */
export interface RoutingRuleContext {
  legalEntityIds: ReadonlySet<string>;
  currencies: ReadonlySet<string>;
}

export type RoutingRuleDraft = Omit<RoutingRuleInput, 'routine'> & { routine: string | null };

function decimalOrNull(value: string | null | undefined): Decimal | null | 'invalid' {
  if (value === null || value === undefined || value === '') return null;
  try {
    const d = new Decimal(value);
    return d.isFinite() ? d : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** The part of a rule a problem is about, so a form can show it next to that field. */
export type RoutingRuleField =
  'routine' | 'code' | 'legalEntityId' | 'minAmount' | 'maxAmount' | 'amountCurrency' | 'dueHours';

export interface RoutingRuleProblem {
  field: RoutingRuleField;
  message: string;
}

/** Every problem with one rule, each with the field it is about and naming the rule by its place. */
export function routingRuleFieldProblems(
  rule: RoutingRuleDraft,
  index: number,
  ctx: RoutingRuleContext,
): RoutingRuleProblem[] {
  const at = `Rule ${index + 1}`;
  const problems: RoutingRuleProblem[] = [];
  const add = (field: RoutingRuleField, message: string) => problems.push({ field, message });
  if (rule.routine !== null && !(ROUTINES as readonly string[]).includes(rule.routine)) {
    add('routine', `${at}: unknown routine "${rule.routine}".`);
  }
  if (rule.code !== null && !(rule.code in EXCEPTION_CATALOGUE)) {
    add('code', `${at}: unknown exception code "${rule.code}".`);
  }
  if (rule.legalEntityId !== null && !ctx.legalEntityIds.has(rule.legalEntityId)) {
    add('legalEntityId', `${at}: unknown legal entity "${rule.legalEntityId}".`);
  }
  const min = decimalOrNull(rule.minAmount);
  const max = decimalOrNull(rule.maxAmount);
  if (min === 'invalid') add('minAmount', `${at}: the minimum amount is not a number.`);
  if (max === 'invalid') add('maxAmount', `${at}: the maximum amount is not a number.`);
  if (min instanceof Decimal && max instanceof Decimal && min.gt(max)) {
    add('minAmount', `${at}: the minimum amount ${min.toString()} is above the maximum ${max.toString()}.`);
  }
  const hasAmount = min !== null || max !== null;
  const currency = rule.amountCurrency ?? null;
  if (hasAmount && !currency) add('amountCurrency', `${at}: an amount range needs its currency.`);
  if (currency && !ctx.currencies.has(currency)) add('amountCurrency', `${at}: unknown currency "${currency}".`);
  if (!hasAmount && currency) add('amountCurrency', `${at}: a currency is set without an amount range.`);
  if (!Number.isInteger(rule.dueHours) || rule.dueHours <= 0) {
    add('dueHours', `${at}: due-in hours must be a whole number above zero.`);
  }
  return problems;
}

/**
 * Every problem with one rule, each naming the rule by its place in the list, so a draft with
 * any problem is refused as a whole rather than saved in part.
 */
export function routingRuleProblems(rule: RoutingRuleDraft, index: number, ctx: RoutingRuleContext): string[] {
  return routingRuleFieldProblems(rule, index, ctx).map((p) => p.message);
}

/** The problems of a whole ordered draft; empty means it may be saved. */
export function routingDraftProblems(rules: readonly RoutingRuleDraft[], ctx: RoutingRuleContext): string[] {
  return rules.flatMap((rule, i) => routingRuleProblems(rule, i, ctx));
}
