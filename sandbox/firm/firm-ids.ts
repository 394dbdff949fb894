/** The firm's own record ids: a type prefix and a zero-padded sequence number ('acct-0042'). */
export const FIRM_ID_PREFIX = {
  account: 'acct',
  opportunity: 'opp',
  lineItem: 'oli',
  project: 'prj',
  rateCard: 'rc',
  consultant: 'emp',
  timeEntry: 'te',
  milestone: 'ms',
  retainer: 'ret',
  changeOrder: 'co',
  invoice: 'inv',
  payment: 'pay',
} as const;

const WIDTH: Record<keyof typeof FIRM_ID_PREFIX, number> = {
  account: 4,
  opportunity: 5,
  lineItem: 5,
  project: 4,
  rateCard: 5,
  consultant: 5,
  timeEntry: 7,
  milestone: 5,
  retainer: 4,
  changeOrder: 4,
  invoice: 5,
  payment: 5,
};

export function firmId(type: keyof typeof FIRM_ID_PREFIX, n: number): string {
  return `${FIRM_ID_PREFIX[type]}-${String(n).padStart(WIDTH[type], '0')}`;
}

/** Sequence number back from a firm id. */
export function firmSequence(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`not a firm id: ${id}`);
  return n;
}
