import { legalEntityIdSchema } from './canonical/canonical-record';
import { currencySchema } from './money';
import { ROUTINES, type RoutineName } from './routines';

/** One value mapping: within its kind, a value of the source system → the value Syncwright uses. */
export interface ValueMapRow {
  kind: string;
  sourceValue: string;
  targetValue: string;
}

export interface ValueMapProblem {
  /** The row's index in the list, from 0. */
  index: number;
  field: keyof ValueMapRow;
  message: string;
}

interface KindFacts {
  label: string;
  /** What a source value must look like, and how to say so; any non-empty text when absent. */
  source?: { pattern: RegExp; says: string };
  /** Checks a target value against the canonical attribute it feeds; the problem or null. */
  target: (value: string) => string | null;
  /** The exception an open exception of these routines carries when this kind of mapping was missing or wrong. */
  causes: { code: string; routines: readonly RoutineName[] } | null;
}

const byPattern = (pattern: RegExp, says: string) => (value: string) => (pattern.test(value) ? null : says);
const bySchema = (schema: { safeParse: (v: unknown) => { success: boolean } }, says: string) => (value: string) =>
  schema.safeParse(value).success ? null : says;
const anyText = (value: string) => (value.length > 0 ? null : 'must not be empty');

/** The kinds of value map the engine reads, each checked against the canonical attribute it feeds. */
export const VALUE_MAP_KINDS = {
  tax_code: {
    label: 'Tax code',
    source: {
      pattern: /^(default|customer:\d{1,18})$/,
      says: 'must be "default" or "customer:" followed by the ERP customer id',
    },
    target: byPattern(/^txcd_\d{8}$/, 'must be a Stripe tax code such as txcd_20030000'),
    // Read by billing alone (the billing connection's map).
    causes: { code: 'TAX_CODE_MISSING', routines: ['billing_eligibility'] },
  },
  currency: {
    label: 'Currency',
    target: bySchema(currencySchema, 'must be a three-letter ISO 4217 currency code'),
    causes: { code: 'CURRENCY_MISMATCH', routines: ROUTINES },
  },
  legal_entity: {
    label: 'Legal entity',
    target: bySchema(
      legalEntityIdSchema,
      `must be one of the legal entities ${legalEntityIdSchema.options.join(', ')}`,
    ),
    causes: null,
  },
  // Read by project activation from the CRM connection's map: the deal's value → the project's.
  practice: {
    label: 'Practice',
    target: anyText,
    causes: { code: 'PRACTICE_UNMAPPED', routines: ['project_activation'] },
  },
  cost_center: {
    label: 'Cost center',
    target: anyText,
    causes: { code: 'COST_CENTER_UNMAPPED', routines: ['project_activation'] },
  },
  // Read by billing from the billing connection's map: the kind of work (a role, "milestone",
  // "retainer") → the product its invoice lines carry.
  item_price: {
    label: 'Item / price',
    target: anyText,
    causes: { code: 'ITEM_UNMAPPED', routines: ['billing_eligibility'] },
  },
} satisfies Record<string, KindFacts>;

export type ValueMapKind = keyof typeof VALUE_MAP_KINDS;
export const VALUE_MAP_KIND_NAMES = Object.keys(VALUE_MAP_KINDS) as ValueMapKind[];

const isKind = (kind: string): kind is ValueMapKind => Object.hasOwn(VALUE_MAP_KINDS, kind);

/** Rows trimmed, as they are saved. */
export function tidyValueMaps(rows: readonly ValueMapRow[]): ValueMapRow[] {
  return rows.map((r) => ({
    kind: r.kind.trim(),
    sourceValue: r.sourceValue.trim(),
    targetValue: r.targetValue.trim(),
  }));
}

/** Every problem of a list of value maps, each naming its row and field; empty when all is well. */
export function valueMapProblems(rows: readonly ValueMapRow[]): ValueMapProblem[] {
  const problems: ValueMapProblem[] = [];
  const seen = new Map<string, number>();
  tidyValueMaps(rows).forEach((row, index) => {
    const at = `Row ${index + 1}`;
    if (!isKind(row.kind)) {
      problems.push({
        index,
        field: 'kind',
        message: `${at}: "${row.kind}" is not a kind of mapping; use one of ${VALUE_MAP_KIND_NAMES.join(', ')}.`,
      });
      return;
    }
    const facts: KindFacts = VALUE_MAP_KINDS[row.kind];
    if (!row.sourceValue) {
      problems.push({ index, field: 'sourceValue', message: `${at}: the source value must not be empty.` });
    } else if (facts.source && !facts.source.pattern.test(row.sourceValue)) {
      problems.push({
        index,
        field: 'sourceValue',
        message: `${at}: ${facts.label.toLowerCase()} source "${row.sourceValue}" ${facts.source.says}.`,
      });
    }
    const targetProblem = facts.target(row.targetValue);
    if (targetProblem) {
      problems.push({
        index,
        field: 'targetValue',
        message: `${at}: ${facts.label.toLowerCase()} "${row.targetValue}" ${targetProblem}.`,
      });
    }
    const key = `${row.kind}|${row.sourceValue}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        index,
        field: 'sourceValue',
        message: `${at}: ${facts.label.toLowerCase()} "${row.sourceValue}" is already mapped in row ${first + 1}.`,
      });
    } else seen.set(key, index);
  });
  return problems;
}

/** The exceptions the given kinds of mapping cause while missing or wrong: each code with its routines. */
export function exceptionsCausedBy(kinds: Iterable<string>): { code: string; routines: RoutineName[] }[] {
  const byCode = new Map<string, Set<RoutineName>>();
  for (const kind of kinds) {
    const causes = isKind(kind) ? VALUE_MAP_KINDS[kind].causes : null;
    if (!causes) continue;
    const routines = byCode.get(causes.code) ?? new Set<RoutineName>();
    for (const routine of causes.routines) routines.add(routine);
    byCode.set(causes.code, routines);
  }
  return [...byCode]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, routines]) => ({ code, routines: [...routines].sort() }));
}

/** Value maps in one order: by kind, then source value. */
export function sortValueMaps<Row extends ValueMapRow>(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) =>
    a.kind === b.kind ? (a.sourceValue < b.sourceValue ? -1 : 1) : a.kind < b.kind ? -1 : 1,
  );
}
