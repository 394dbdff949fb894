/** One keyed row's fate between two versions of a policy. */
export type RowChange<Row> =
  | { kind: 'added'; key: string; after: Row }
  | { kind: 'removed'; key: string; before: Row }
  | { kind: 'changed'; key: string; before: Row; after: Row; fields: (keyof Row & string)[] };

/**
 * What changed between two versions of a keyed list of rows: rows only in `after` were added,
 * rows only in `before` were removed, and rows in both whose fields differ changed (naming the
 * fields). Unchanged rows are left out. Ordered by key so the same change always reads the same.
 */
export function diffRows<Row extends object>(
  before: readonly Row[],
  after: readonly Row[],
  key: (row: Row) => string,
): RowChange<Row>[] {
  const old = new Map(before.map((row) => [key(row), row]));
  const now = new Map(after.map((row) => [key(row), row]));
  const changes: RowChange<Row>[] = [];
  for (const [k, row] of now) {
    const previous = old.get(k);
    if (!previous) {
      changes.push({ kind: 'added', key: k, after: row });
      continue;
    }
    const fields = changedFields(previous, row);
    if (fields.length > 0) changes.push({ kind: 'changed', key: k, before: previous, after: row, fields });
  }
  for (const [k, row] of old) if (!now.has(k)) changes.push({ kind: 'removed', key: k, before: row });
  return changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function changedFields<Row extends object>(before: Row, after: Row): (keyof Row & string)[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof Row & string>;
  return [...names].filter((name) => !sameValue(before[name], after[name]));
}

// Values are plain data (strings, numbers, null, small objects); compare by content, with
// undefined and null read as the same "not set".
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
