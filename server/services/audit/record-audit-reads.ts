import { db } from '@/server/db/client';
import { appendAuditEvent } from './append-audit-event';
import type { AuditContext } from './audit-context';
import type { AuditFilters } from './list-audit-events';
import { verifyAuditChain, type ChainVerification } from './verify-audit-chain';

/** Verifies the chain, then records who verified it and what they were told. */
export async function recordChainVerification(context: AuditContext): Promise<ChainVerification> {
  const result = await verifyAuditChain();
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      ...context,
      action: 'audit.chain_verified',
      target: { type: 'AuditLog', id: null },
      after: { intact: result.intact, checked: result.checked, firstBroken: result.firstBroken },
    }),
  );
  return result;
}

export async function recordAuditExport(filters: AuditFilters, context: AuditContext): Promise<{ recorded: true }> {
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      ...context,
      action: 'audit.exported',
      target: { type: 'AuditLog', id: null },
      after: { filters },
    }),
  );
  return { recorded: true };
}
