import { z } from 'zod';
import { ConnectorError } from '../connector';

/**
 * Cursors are JSON text the pipeline stores as it is:
 *   {"event":"evt_…","created":1767225600}   after that event (the event tail)
 *   {"event":null,"created":1767225600}      every event from that second on (no event to anchor to yet)
 *   {"event":…,"created":…,"snapshotAfter":"in_…"}
 *                                            an invoice pull still listing invoices; afterwards the tail
 *                                            starts at event/created
 * `created` (Unix seconds, Stripe's clock) is kept beside the id so that a cursor whose event has
 * aged out of Stripe's 30-day event retention can still continue by time.
 */
export interface EventPosition {
  /** The last event already read; null when only the time is known. */
  event: string | null;
  created: number;
}

export interface InvoicePullCursor extends EventPosition {
  /** Set while the first pull still lists existing invoices: the last invoice listed. */
  snapshotAfter?: string;
}

const positionShape = { event: z.string().min(1).nullable(), created: z.int().min(0) };
const eventCursorSchema = z.strictObject(positionShape);
const invoiceCursorSchema = z.strictObject({ ...positionShape, snapshotAfter: z.string().min(1).optional() });

export function encodeCursor(cursor: InvoicePullCursor): string {
  const { event, created, snapshotAfter } = cursor;
  return JSON.stringify(snapshotAfter === undefined ? { event, created } : { event, created, snapshotAfter });
}

export function decodeEventCursor(cursor: string): EventPosition {
  return decode(eventCursorSchema, cursor);
}

export function decodeInvoiceCursor(cursor: string): InvoicePullCursor {
  return decode(invoiceCursorSchema, cursor);
}

function decode<T>(schema: z.ZodType<T>, cursor: string): T {
  let json: unknown;
  try {
    json = JSON.parse(cursor);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ConnectorError({
      class: 'config',
      code: 'CURSOR_INVALID',
      message: `Not a Stripe connector cursor: ${cursor.slice(0, 200)}`,
    });
  }
  return parsed.data;
}
