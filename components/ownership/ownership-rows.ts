import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['ownership'];
export type OwnershipRule = Outputs['overview']['active'][number];
export type OwnershipChange = Outputs['history'][number]['changes'][number];
export type RoutineImpact = NonNullable<Outputs['draftImpact']>['routines'][number];
export type SystemName = OwnershipRule['owner'];
export type TeamName = OwnershipRule['team'];

export const SYSTEM_CHOICES: { value: SystemName; label: string }[] = [
  { value: 'salesforce', label: 'CRM (Salesforce)' },
  { value: 'netsuite', label: 'ERP (NetSuite)' },
  { value: 'stripe', label: 'Billing (Stripe)' },
];
export const TEAM_CHOICES: TeamName[] = ['finance', 'operations', 'integration'];

export const systemLabel = (system: SystemName) => SYSTEM_CHOICES.find((c) => c.value === system)?.label ?? system;
export const ruleKey = (rule: { objectType: string; attribute: string }) => `${rule.objectType}.${rule.attribute}`;
export const ruleName = (rule: { objectType: string; attribute: string }) =>
  rule.attribute === '*' ? `${rule.objectType} (all attributes)` : ruleKey(rule);

/**
 * The rules with the one for `objectType`.`attribute` replaced by `patch`, added when missing,
 * or removed when `patch` is null (an attribute then follows its object's default again).
 */
export function withRule(
  rules: readonly OwnershipRule[],
  objectType: string,
  attribute: string,
  patch: Partial<Omit<OwnershipRule, 'objectType' | 'attribute'>> | null,
): OwnershipRule[] {
  const index = rules.findIndex((r) => r.objectType === objectType && r.attribute === attribute);
  if (patch === null) return rules.filter((_, i) => i !== index);
  if (index >= 0) return rules.map((r, i) => (i === index ? { ...r, ...patch } : r));
  const fallback = rules.find((r) => r.objectType === objectType && r.attribute === '*');
  return [
    ...rules,
    {
      objectType,
      attribute,
      owner: patch.owner ?? fallback?.owner ?? 'netsuite',
      team: patch.team ?? fallback?.team ?? 'operations',
      note: patch.note ?? null,
    },
  ];
}
