import { env } from '@/env';
import type { RoutineName } from '@/server/domain/routines';

/** How long a won deal may wait for its project before it counts as stuck (STUCK_ACTIVATION_SLA_HOURS). */
export const stuckActivationSlaHours = (): number => env.STUCK_ACTIVATION_SLA_HOURS;

/**
 * How stale each routine may be before its lag cell is flagged: activations and invoice status
 * matter within the hour, billing and change orders within the working day.
 */
export const LAG_TARGET_SECONDS: Record<RoutineName, number> = {
  project_activation: 15 * 60,
  billing_eligibility: 60 * 60,
  invoice_status: 30 * 60,
  change_orders: 4 * 60 * 60,
};

/** The statuses in which an exception still holds its record. */
export const OPEN_STATUSES = ['open', 'assigned', 'in_progress'] as const;
