import { db, type Tx } from '@/server/db/client';
import type { RoutingRuleInput } from '@/server/domain/routing';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';

export interface RoutingRuleSet {
  /** 0 when nothing has been published: new exceptions then take the fallback placement. */
  version: number;
  /** Every rule of the version, disabled ones included, in order. */
  rules: RoutingRuleInput[];
}

interface RoutingRuleRow extends Omit<RoutingRuleInput, 'minAmount' | 'maxAmount'> {
  minAmount: { toFixed(): string } | null;
  maxAmount: { toFixed(): string } | null;
}

/** A stored rule as the engine reads it: amounts as exact decimal strings. */
export function routingRuleFromRow(row: RoutingRuleRow): RoutingRuleInput {
  return {
    position: row.position,
    routine: row.routine,
    code: row.code,
    legalEntityId: row.legalEntityId,
    minAmount: row.minAmount?.toFixed() ?? null,
    maxAmount: row.maxAmount?.toFixed() ?? null,
    amountCurrency: row.amountCurrency ?? null,
    team: row.team,
    priority: row.priority,
    dueHours: row.dueHours,
    enabled: row.enabled,
  };
}

/** The rules of one published version, in order. */
export async function routingVersionRules(client: Tx, version: number): Promise<RoutingRuleInput[]> {
  const rows = await client.routingRule.findMany({ where: { version }, orderBy: { position: 'asc' } });
  return rows.map(routingRuleFromRow);
}

/** The rules in force: the newest published version. */
export async function activeRoutingRules(client: Tx = db()): Promise<RoutingRuleSet> {
  const latest = await client.routingRuleVersion.findFirst({
    orderBy: { version: 'desc' },
    include: { rules: { orderBy: { position: 'asc' } } },
  });
  if (!latest) return { version: 0, rules: [] };
  return { version: latest.version, rules: latest.rules.map(routingRuleFromRow) };
}

/**
 * Publishes a whole ordered rule set as the next version; positions follow the given order.
 * Earlier versions stay as they were. Audited with the set it replaces.
 */
export async function publishRoutingRules(
  tx: Tx,
  input: { rules: readonly Omit<RoutingRuleInput, 'position'>[]; note: string },
  context: AuditContext,
): Promise<RoutingRuleSet> {
  // Versions are numbered in order even when two admins publish at once.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(727410004)');
  const previous = await activeRoutingRules(tx);
  const version = previous.version + 1;
  const rules: RoutingRuleInput[] = input.rules.map((rule, i) => ({
    position: i + 1,
    routine: rule.routine,
    code: rule.code,
    legalEntityId: rule.legalEntityId,
    minAmount: rule.minAmount,
    maxAmount: rule.maxAmount ?? null,
    amountCurrency: rule.amountCurrency ?? null,
    team: rule.team,
    priority: rule.priority,
    dueHours: rule.dueHours,
    enabled: rule.enabled,
  }));
  await tx.routingRuleVersion.create({
    data: { version, note: input.note, createdBy: context.actor.email, rules: { create: rules } },
  });
  await appendAuditEvent(tx, {
    ...context,
    action: 'routing.published',
    target: { type: 'RoutingRules', id: String(version) },
    before: { version: previous.version, rules: previous.rules },
    after: { version, note: input.note, rules },
  });
  return { version, rules };
}
