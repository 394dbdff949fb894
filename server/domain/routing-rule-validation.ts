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

/**
 * Every problem with one rule, each naming the rule by its place in the list, so a draft with
 * any problem is refused as a whole rather than saved in part.
 */
export function routingRuleProblems(rule: RoutingRuleDraft, index: number, ctx: RoutingRuleContext): string[] {
  const at = `Rule ${index + 1}`;
  const problems: string[] = [];
  if (rule.routine !== null && !(ROUTINES as readonly string[]).includes(rule.routine)) {
    problems.push(`${at}: unknown routine "${rule.routine}".`);
  }
  if (rule.code !== null && !(rule.code in EXCEPTION_CATALOGUE)) {
    problems.push(`${at}: unknown exception code "${rule.code}".`);
  }
  if (rule.legalEntityId !== null && !ctx.legalEntityIds.has(rule.legalEntityId)) {
    problems.push(`${at}: unknown legal entity "${rule.legalEntityId}".`);
  }
  const min = decimalOrNull(rule.minAmount);
  const max = decimalOrNull(rule.maxAmount);
  if (min === 'invalid') problems.push(`${at}: the minimum amount is not a number.`);
  if (max === 'invalid') problems.push(`${at}: the maximum amount is not a number.`);
  if (min instanceof Decimal && max instanceof Decimal && min.gt(max)) {
    problems.push(`${at}: the minimum amount ${min.toString()} is above the maximum ${max.toString()}.`);
  }
  const hasAmount = min !== null || max !== null;
  const currency = rule.amountCurrency ?? null;
  if (hasAmount && !currency) problems.push(`${at}: an amount range needs its currency.`);
  if (currency && !ctx.currencies.has(currency)) problems.push(`${at}: unknown currency "${currency}".`);
  if (!hasAmount && currency) problems.push(`${at}: a currency is set without an amount range.`);
  if (!Number.isInteger(rule.dueHours) || rule.dueHours <= 0) {
    problems.push(`${at}: due-in hours must be a whole number above zero.`);
  }
  return problems;
}

/** The problems of a whole ordered draft; empty means it may be saved. */
export function routingDraftProblems(rules: readonly RoutingRuleDraft[], ctx: RoutingRuleContext): string[] {
  return rules.flatMap((rule, i) => routingRuleProblems(rule, i, ctx));
}
