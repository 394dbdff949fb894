import { db } from '@/server/db/client';
import { appendAuditEvent } from './append-audit-event';
import { anchorSettings, checkAuditAnchors, writeAuditCheckpoint, type AnchorCheck } from './audit-anchor';
import type { AuditContext } from './audit-context';
import type { AuditFilters } from './list-audit-events';
import { verifyAuditChain, type ChainVerification } from './verify-audit-chain';

export interface AnchoredVerification extends ChainVerification {
  anchor: AnchorCheck;
}

/**
 * Verifies the chain and its anchors outside the database, records who verified it and what they
 * were told, and anchors the head it found intact.
 */
export async function recordChainVerification(context: AuditContext): Promise<AnchoredVerification> {
  const settings = anchorSettings();
  const [chain, anchor] = await Promise.all([verifyAuditChain(), checkAuditAnchors(settings)]);
  const result = { ...chain, intact: chain.intact && anchor.state !== 'broken', anchor };
  await db().$transaction((tx) =>
    appendAuditEvent(tx, {
      ...context,
      action: 'audit.chain_verified',
      target: { type: 'AuditLog', id: null },
      after: { intact: result.intact, checked: result.checked, firstBroken: result.firstBroken, anchor },
    }),
  );
  if (result.intact) await writeAuditCheckpoint(settings);
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
