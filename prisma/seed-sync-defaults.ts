import type { Tx } from '@/server/db/client';
import {
  BILLING_INVOICE_RULES,
  BILLING_REFERENCE_RULES,
  DEFAULT_OWNERSHIP_RULES,
  PROJECT_BUDGET_RULES,
  type OwnershipRuleInput,
} from '@/server/domain/ownership';
import { DEFAULT_ROUTING_RULES } from '@/server/domain/routing';
import { activeOwnershipRules, publishOwnershipRules } from '@/server/services/ownership/ownership-rules';
import { publishRoutingRules } from '@/server/services/routing/routing-rules';

const SEED_ACTOR = { actor: { id: null, email: 'system:seed' }, requestId: null, ip: null };

/** Rules added to the defaults after installs were seeded: each given once, as a new version. */
const ADDED_LATER: { rules: OwnershipRuleInput[]; note: string }[] = [
  { rules: BILLING_REFERENCE_RULES, note: 'Billing owns the billing reference it writes back onto billed ERP records' },
  {
    rules: BILLING_INVOICE_RULES,
    note: 'Billing owns the total, issue date and amount paid of the invoices it raises',
  },
  { rules: PROJECT_BUDGET_RULES, note: 'The CRM owns the project budget: the amount the deal was sold for' },
];

/** The sync engine's defaults: ownership rules (version 1) and exception routing. Only when absent. */
export async function seedSyncDefaults(tx: Tx): Promise<string[]> {
  const created: string[] = [];
  if ((await tx.ownershipRuleVersion.count()) === 0) {
    await publishOwnershipRules(
      tx,
      { rules: DEFAULT_OWNERSHIP_RULES, note: 'Defaults: CRM owns the deal, ERP the delivery, billing the collection' },
      SEED_ACTOR,
    );
    created.push('ownership rules v1');
  } else {
    for (const added of ADDED_LATER) {
      // An admin who removes them later is not overruled: some version has held them.
      const [first] = added.rules;
      if ((await tx.ownershipRule.count({ where: { objectType: first!.objectType, attribute: first!.attribute } })) > 0)
        continue;
      const active = await activeOwnershipRules(tx);
      const { version } = await publishOwnershipRules(
        tx,
        { rules: [...active.rules, ...added.rules], note: added.note },
        SEED_ACTOR,
      );
      created.push(`ownership rules v${version}`);
    }
  }
  if ((await tx.routingRuleVersion.count()) === 0) {
    await publishRoutingRules(
      tx,
      {
        rules: DEFAULT_ROUTING_RULES.map((rule) => ({ ...rule, enabled: true })),
        note: 'Defaults: technical failures to integration, billing to finance, delivery to operations',
      },
      SEED_ACTOR,
    );
    created.push('routing rules');
  }
  return created;
}
