/** Age of unbilled work, by its work day (a milestone's completion, a fee's month): shared by the server and the dashboard. */
export const UNBILLED_AGE_BUCKETS = ['0–7 days', '8–30 days', '31–60 days', '61+ days'] as const;
export type UnbilledAgeBucket = (typeof UNBILLED_AGE_BUCKETS)[number];

export const isUnbilledAgeBucket = (value: string): value is UnbilledAgeBucket =>
  (UNBILLED_AGE_BUCKETS as readonly string[]).includes(value);
