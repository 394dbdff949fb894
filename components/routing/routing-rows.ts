import type { inferRouterOutputs } from '@trpc/server';
import { formatMoney } from '@/lib/format-money';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['routing'];
export type RoutingRule = Outputs['overview']['active'][number];
export type RoutingChoices = Outputs['overview']['choices'];
export type RoutingChange = Outputs['history'][number]['changes'][number];
export type RoutingPreview = NonNullable<Outputs['draftPreview']>;
export type RoutingMove = RoutingPreview['moves'][number];
export type RoutingProblem = { index: number; field: RoutingField; message: string };
export type RoutingField =
  'routine' | 'code' | 'legalEntityId' | 'minAmount' | 'maxAmount' | 'amountCurrency' | 'dueHours';
export type TeamName = RoutingRule['team'];
export type PriorityName = RoutingRule['priority'];

export const TEAMS: TeamName[] = ['finance', 'operations', 'integration'];
export const PRIORITIES: PriorityName[] = ['urgent', 'high', 'normal', 'low'];

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
export const teamLabel = (team: TeamName) => capital(team);
export const priorityLabel = (priority: PriorityName) => capital(priority);
export const placementLabel = (team: TeamName, priority: PriorityName) => `${capital(team)}/${priority}`;

/** "Any", "£1,000.00 to £5,000.00", "from $10,000.00", "up to €500.00"; bare figures for a rule set before ranges carried a currency. */
export function amountRangeLabel(rule: Pick<RoutingRule, 'minAmount' | 'maxAmount' | 'amountCurrency'>): string {
  const money = (amount: string) => (rule.amountCurrency ? formatMoney(amount, rule.amountCurrency) : amount);
  const any = rule.amountCurrency ? '' : ' (any currency)';
  if (rule.minAmount && rule.maxAmount) return `${money(rule.minAmount)} to ${money(rule.maxAmount)}${any}`;
  if (rule.minAmount) return `from ${money(rule.minAmount)}${any}`;
  if (rule.maxAmount) return `up to ${money(rule.maxAmount)}${any}`;
  return 'Any amount';
}

export const dueLabel = (hours: number) =>
  hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} hour${hours === 1 ? '' : 's'}`;

/** What a rule matches on, in a few words: "Billing eligibility · TAX_CODE_MISSING · UK · from £1,000.00". */
export function matchLabel(rule: RoutingRule, choices: RoutingChoices): string {
  const parts = [
    rule.routine ? (choices.routines.find((r) => r.value === rule.routine)?.label ?? rule.routine) : null,
    rule.code,
    rule.legalEntityId,
    rule.minAmount || rule.maxAmount ? amountRangeLabel(rule) : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'Every exception';
}

/** A rule being edited: the fields as typed, with a key that stays with it while it moves. */
export interface WorkingRule {
  key: string;
  routine: string;
  code: string;
  legalEntityId: string;
  minAmount: string;
  maxAmount: string;
  amountCurrency: string;
  team: TeamName;
  priority: PriorityName;
  dueHours: string;
  enabled: boolean;
}

let nextKey = 0;
export const newKey = () => `rule-${++nextKey}`;

export function toWorking(rule: RoutingRule): WorkingRule {
  return {
    key: newKey(),
    routine: rule.routine ?? '',
    code: rule.code ?? '',
    legalEntityId: rule.legalEntityId ?? '',
    minAmount: rule.minAmount ?? '',
    maxAmount: rule.maxAmount ?? '',
    amountCurrency: rule.amountCurrency ?? '',
    team: rule.team,
    priority: rule.priority,
    dueHours: String(rule.dueHours),
    enabled: rule.enabled,
  };
}

export const BLANK_RULE: Omit<WorkingRule, 'key'> = {
  routine: '',
  code: '',
  legalEntityId: '',
  minAmount: '',
  maxAmount: '',
  amountCurrency: '',
  team: 'operations',
  priority: 'normal',
  dueHours: '72',
  enabled: true,
};

const orNull = (value: string) => value.trim() || null;

/** The rule as the server takes it; a blank or unreadable due-in goes as 0, which the server names. */
export function toEntry(rule: WorkingRule) {
  const due = Number(rule.dueHours.trim() || '0');
  return {
    routine: orNull(rule.routine),
    code: orNull(rule.code),
    legalEntityId: orNull(rule.legalEntityId),
    minAmount: orNull(rule.minAmount),
    maxAmount: orNull(rule.maxAmount),
    amountCurrency: orNull(rule.amountCurrency),
    team: rule.team,
    priority: rule.priority,
    dueHours: Number.isFinite(due) ? due : 0,
    enabled: rule.enabled,
  };
}

/** As shown in the table while editing: the working fields read back as a rule. */
export function fromWorking(rule: WorkingRule, position: number): RoutingRule {
  const entry = toEntry(rule);
  return {
    ...entry,
    position,
    routine: entry.routine as RoutingRule['routine'],
    dueHours: entry.dueHours,
  };
}

/** `list` with the item at `from` moved to `to`. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}
