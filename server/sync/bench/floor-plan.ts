import type { RequestLimits } from '@/server/connectors/request-limiter';
import type { NetSuiteEndpoint } from '@/sandbox/start-sandbox';

/** One create the engine made in Stripe, to be made again by the floor. */
export interface PlannedWrite {
  /** The id the engine's object got; later writes refer to it and the floor swaps in its own. */
  engineId: string;
  /** Our key for the record (metadata.syncwright_id). */
  key: string;
  idempotencyKey: string;
  fields: Record<string, unknown>;
}

/** One billing reference the engine wrote onto an ERP record, to be written again by the floor. */
export interface PlannedReference {
  objectType: string;
  targetId: string;
  fields: Record<string, unknown>;
}

/** What the floor child is given: where to write, how many at once, and the writes in order. */
export interface FloorPlan {
  baseUrl: string;
  secretKey: string;
  limits: RequestLimits;
  customers: PlannedWrite[];
  invoices: PlannedWrite[];
  invoiceItems: PlannedWrite[];
  netsuite: NetSuiteEndpoint;
  references: PlannedReference[];
}
