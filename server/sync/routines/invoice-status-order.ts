/**
 * The order billing's invoice statuses are reached in: draft → open → paid, void or uncollectible,
 * and uncollectible on to paid or void (Stripe's own state machine). Paid and void both end an
 * invoice; neither follows the other. A status is never written back over one further along.
 */
const STAGE: ReadonlyMap<string, number> = new Map([
  ['draft', 0],
  ['open', 1],
  ['uncollectible', 2],
  ['paid', 3],
  ['void', 3],
]);

/** Whether `status` comes after `than`; false when either is unknown. */
export function isFurtherAlong(status: string | null | undefined, than: string | null | undefined): boolean {
  const later = status ? STAGE.get(status) : undefined;
  const earlier = than ? STAGE.get(than) : undefined;
  return later !== undefined && earlier !== undefined && later > earlier;
}
