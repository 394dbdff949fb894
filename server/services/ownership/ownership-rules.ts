import { db, type Tx } from '@/server/db/client';
import type { OwnershipRuleInput } from '@/server/domain/ownership';
import { appendAuditEvent } from '@/server/services/audit/append-audit-event';
import type { AuditContext } from '@/server/services/audit/audit-context';

export interface OwnershipRuleSet {
  version: number;
  rules: OwnershipRuleInput[];
}

/** The rules in force: the newest version. */
export async function activeOwnershipRules(client: Tx = db()): Promise<OwnershipRuleSet> {
  const latest = await client.ownershipRuleVersion.findFirst({
    orderBy: { version: 'desc' },
    include: { rules: true },
  });
  if (!latest) return { version: 0, rules: [] };
  return {
    version: latest.version,
    rules: latest.rules.map(({ objectType, attribute, owner, team }) => ({ objectType, attribute, owner, team })),
  };
}

/**
 * Publishes a whole new rule set as the next version; earlier versions stay as they were, so the
 * ledger's rule version always points at the rules that decided. Audited with the previous set.
 */
export async function publishOwnershipRules(
  tx: Tx,
  input: { rules: OwnershipRuleInput[]; note: string },
  context: AuditContext,
): Promise<OwnershipRuleSet> {
  // Versions are numbered in order even when two admins publish at once.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(727410003)');
  const previous = await activeOwnershipRules(tx);
  const version = previous.version + 1;
  await tx.ownershipRuleVersion.create({
    data: { version, note: input.note, createdBy: context.actor.email, rules: { create: input.rules } },
  });
  await appendAuditEvent(tx, {
    ...context,
    action: 'ownership.published',
    target: { type: 'OwnershipRules', id: String(version) },
    before: { version: previous.version, rules: previous.rules },
    after: { version, note: input.note, rules: input.rules },
  });
  return { version, rules: input.rules };
}
