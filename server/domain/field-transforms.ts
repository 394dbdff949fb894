import Decimal from 'decimal.js';
import { CANONICAL_SCHEMAS, type CanonicalType } from './canonical/schemas';

/** The date layouts a source may send, read into the canonical ISO date. */
export const DATE_LAYOUTS = ['YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateLayout = (typeof DATE_LAYOUTS)[number];

/** The named transforms a field map may chain, applied left to right. */
export type FieldTransform =
  | { name: 'trim' }
  | { name: 'upper' }
  /** The value through the connection's value map of this kind (e.g. `currency`). */
  | { name: 'lookup'; kind: string }
  /** This value when the source has none (empty after trimming counts as none). */
  | { name: 'default'; value: string }
  | { name: 'date_format'; from: DateLayout }
  /** A decimal rounded half-up to this many places, as canonical amounts and hours are kept. */
  | { name: 'decimal_scale'; scale: number };

/** A source field into a canonical attribute. */
export interface FieldMap {
  sourceField: string;
  attribute: string;
  transforms: FieldTransform[];
}

export type Lookup = (kind: string, value: string) => string | undefined;

/** Attributes that identify or stamp a record: the pipeline sets them, a field map may not. */
const RESERVED = new Set(['id', 'schemaVersion', 'externalRefs', 'sourceChangedAt']);

const DATE_PARTS: Record<DateLayout, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'DD.MM.YYYY': /^(?<d>\d{2})\.(?<m>\d{2})\.(?<y>\d{4})$/,
  'DD/MM/YYYY': /^(?<d>\d{2})\/(?<m>\d{2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{2})\/(?<d>\d{2})\/(?<y>\d{4})$/,
};

export type TransformResult = { ok: true; value: string | null } | { ok: false; message: string };

/** Runs a chain of transforms over one source value; the first that cannot apply says why. */
export function applyTransforms(
  input: string | null,
  transforms: readonly FieldTransform[],
  lookup: Lookup,
): TransformResult {
  let value = input;
  for (const t of transforms) {
    if (t.name === 'default') {
      if (value === null || value.trim() === '') value = t.value;
      continue;
    }
    if (value === null) continue;
    switch (t.name) {
      case 'trim':
        value = value.trim();
        break;
      case 'upper':
        value = value.toUpperCase();
        break;
      case 'lookup': {
        const mapped = lookup(t.kind, value);
        if (mapped === undefined) return { ok: false, message: `"${value}" has no ${t.kind} mapping` };
        value = mapped;
        break;
      }
      case 'date_format': {
        const parts = DATE_PARTS[t.from].exec(value)?.groups;
        if (!parts) return { ok: false, message: `"${value}" is not a date in the form ${t.from}` };
        value = `${parts.y}-${parts.m}-${parts.d}`;
        break;
      }
      case 'decimal_scale': {
        let number: Decimal;
        try {
          number = new Decimal(value);
        } catch {
          return { ok: false, message: `"${value}" is not a decimal number` };
        }
        value = number.toDecimalPlaces(t.scale, Decimal.ROUND_HALF_UP).toFixed(t.scale);
        break;
      }
    }
  }
  return { ok: true, value };
}

/** What a chain ending in this transform produces, to check against the attribute's schema. */
function sampleOutput(transforms: readonly FieldTransform[]): string {
  for (const t of [...transforms].reverse()) {
    if (t.name === 'date_format') return '2026-01-31';
    if (t.name === 'decimal_scale') return new Decimal(1).toFixed(t.scale);
    if (t.name === 'default') return t.value;
  }
  return 'SAMPLE';
}

function attributeSchema(objectType: CanonicalType, attribute: string) {
  const shape = CANONICAL_SCHEMAS[objectType].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.hasOwn(shape, attribute) ? shape[attribute]! : null;
}

/** Whether a field map may set this attribute of the type: the schema has it and the pipeline does not set it. */
export const isMappableAttribute = (objectType: CanonicalType, attribute: string) =>
  attributeSchema(objectType, attribute) !== null && !RESERVED.has(attribute);

/** One problem of a field map: its row in the list (from 0), the part at fault, what is wrong. */
export interface FieldMapProblem {
  index: number;
  field: 'sourceField' | 'attribute' | 'transforms';
  message: string;
}

/**
 * Every problem of a set of field maps for one canonical type: an attribute the schema does not
 * have (or that the pipeline sets), a transform with a bad parameter, an attribute mapped twice, or a
 * chain whose output the attribute would not accept (a date layout into a decimal attribute).
 * `rowOf` numbers the rows as the person editing them sees them.
 */
export function fieldMapProblems(
  objectType: CanonicalType,
  maps: readonly FieldMap[],
  rowOf: (index: number) => number = (index) => index,
): FieldMapProblem[] {
  const problems: FieldMapProblem[] = [];
  const seen = new Set<string>();
  maps.forEach((map, i) => {
    const index = rowOf(i);
    const at = `Field map ${index + 1}`;
    const problem = (field: FieldMapProblem['field'], message: string) =>
      problems.push({ index, field, message: `${at}: ${message}` });
    if (!map.sourceField.trim()) problem('sourceField', 'name the source field.');
    const schema = attributeSchema(objectType, map.attribute);
    if (!schema || !isMappableAttribute(objectType, map.attribute)) {
      problem('attribute', `${objectType} has no attribute "${map.attribute}" a mapping may set.`);
      return;
    }
    if (seen.has(map.attribute)) problem('attribute', `${objectType}.${map.attribute} is already mapped.`);
    seen.add(map.attribute);
    const before = problems.length;
    for (const t of map.transforms) {
      if (t.name === 'decimal_scale' && !(Number.isInteger(t.scale) && t.scale >= 0 && t.scale <= 6))
        problem('transforms', 'a decimal scale is a whole number of places from 0 to 6.');
      if (t.name === 'date_format' && !DATE_LAYOUTS.includes(t.from))
        problem('transforms', `"${String(t.from)}" is not a date layout; use one of ${DATE_LAYOUTS.join(', ')}.`);
      if (t.name === 'lookup' && !t.kind.trim()) problem('transforms', 'a lookup names the value map it reads.');
    }
    if (problems.length === before && !schema.safeParse(sampleOutput(map.transforms)).success)
      problem('transforms', `what its transforms produce does not fit ${objectType}.${map.attribute}.`);
  });
  return problems;
}

/**
 * The canonical attributes a source record gives through field maps, each checked against its
 * schema; the problems name the attribute. Attributes that fail are left out of `attributes`.
 */
export function mapFields(
  objectType: CanonicalType,
  source: Record<string, unknown>,
  maps: readonly FieldMap[],
  lookup: Lookup,
): { attributes: Record<string, unknown>; problems: { attribute: string; message: string }[] } {
  const attributes: Record<string, unknown> = {};
  const problems: { attribute: string; message: string }[] = [];
  for (const map of maps) {
    const raw = source[map.sourceField];
    const input = raw === null || raw === undefined ? null : String(raw);
    const result = applyTransforms(input, map.transforms, lookup);
    if (!result.ok) {
      problems.push({ attribute: map.attribute, message: `${map.attribute}: ${result.message}` });
      continue;
    }
    const schema = attributeSchema(objectType, map.attribute);
    if (!schema?.safeParse(result.value).success) {
      problems.push({
        attribute: map.attribute,
        message: `${map.attribute}: ${result.value === null ? 'no value' : `"${result.value}"`} does not fit ${objectType}.${map.attribute}`,
      });
      continue;
    }
    attributes[map.attribute] = result.value;
  }
  return { attributes, problems };
}
