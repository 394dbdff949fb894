/** The values the exceptions queue filters and sorts on, shared by its page and its service. */
export const EXCEPTION_STATUSES = ['open', 'assigned', 'in_progress', 'resolved', 'ignored'] as const;
export const ACTIVE_STATUSES = ['open', 'assigned', 'in_progress'] as const;
export const EXCEPTION_TEAMS = ['finance', 'operations', 'integration'] as const;
export const EXCEPTION_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const EXCEPTION_KINDS = ['business', 'technical'] as const;
export const EXCEPTION_ROUTINES = [
  'project_activation',
  'billing_eligibility',
  'invoice_status',
  'change_orders',
] as const;
/** Age of an exception, by when it was first seen. */
export const EXCEPTION_AGES = ['1d', '1-7d', '7-30d', '30d+'] as const;
export const EXCEPTION_SORTS = ['lastSeen', 'age', 'priority', 'due', 'amount'] as const;
