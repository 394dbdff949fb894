import type { Tx } from '@/server/db/client';
import { DEFAULT_OWNERSHIP_RULES } from '@/server/domain/ownership';
import { DEFAULT_ROUTING_RULES } from '@/server/domain/routing';
import { publishOwnershipRules } from '@/server/services/ownership/ownership-rules';

/** The sync engine's defaults: ownership rules (version 1) and exception routing. Only when absent. */
export async function seedSyncDefaults(tx: Tx): Promise<string[]> {
  const created: string[] = [];
  if ((await tx.ownershipRuleVersion.count()) === 0) {
    await publishOwnershipRules(
      tx,
      { rules: DEFAULT_OWNERSHIP_RULES, note: 'Defaults: CRM owns the deal, ERP the delivery, billing the collection' },
      {
        actor: { id: null, email: 'system:seed' },
        requestId: null,
        ip: null,
      },
    );
    created.push('ownership rules v1');
  }
  if ((await tx.routingRule.count()) === 0) {
    await tx.routingRule.createMany({
      data: DEFAULT_ROUTING_RULES.map((rule, i) => ({ ...rule, position: (i + 1) * 10 })),
    });
    created.push('routing rules');
  }
  return created;
}
