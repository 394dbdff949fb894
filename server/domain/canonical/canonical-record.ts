import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '@/lib/canonical-json';
import { currencySchema } from '../money';

export const SYSTEMS = ['salesforce', 'netsuite', 'stripe'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** One record's identity in one external system; the identity map joins them across systems. */
export const externalRefSchema = z.object({
  system: z.enum(SYSTEMS),
  objectType: z.string().min(1),
  externalId: z.string().min(1),
});
export type ExternalRef = z.infer<typeof externalRefSchema>;

export const legalEntityIdSchema = z.enum(['US', 'UK', 'DE']);

/** What every canonical record carries, whatever its type. */
export const recordBase = z.object({
  id: z.uuid(),
  legalEntityId: legalEntityIdSchema,
  currency: currencySchema,
  schemaVersion: z.number().int().positive(),
  externalRefs: z.array(externalRefSchema),
  /** When the source last changed it, for end-to-end latency. */
  sourceChangedAt: z.iso.datetime({ offset: true }),
});

/**
 * Hash of what a record says, not of where it came from or when: the plan step compares it to
 * the last delivered hash (create / update / no-op), and it is part of every idempotency key.
 */
export function contentHash(record: Record<string, unknown>): string {
  const { id: _id, externalRefs: _refs, sourceChangedAt: _changed, ...content } = record;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
