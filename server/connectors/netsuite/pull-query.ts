import { isWallClockText, nextSecond } from './account-time';
import type { PullFilter } from '../connector';
import type { PullableType } from './object-types';

/**
 * Keyset paging for incremental pulls. Rows come ordered by their last-modified second (TO_CHAR
 * text, so sub-second precision cannot reorder rows within a second) and then by internal id. The
 * cursor is the last (second, id) returned, and the next page starts strictly after it:
 *
 *   modified >= S AND (modified >= S + 1 s OR id > lastId)
 *
 * so a page boundary inside a second shared by thousands of rows neither skips nor repeats one,
 * and every page is read at offset 0 (NetSuite only pages through the first 100,000 rows).
 *
 * That alone would still lose a row saved later within a second already read past (a pull that
 * ends at (10:00:00, id 500) never sees id 100 saved at 10:00:00.7), so an incremental pull also
 * stops before a settled second: `modified < settledBefore`, behind the account's clock.
 */

export interface PullCursor {
  /** The last row's last-modified second, 'YYYY-MM-DD HH24:MI:SS' as SuiteQL printed it. */
  modifiedAt: string;
  id: string;
}

/** The output column carrying each row's watermark text. */
export const CHANGED_AT_COLUMN = 'sw_changed_at';

const DATETIME_FORMAT = 'YYYY-MM-DD HH24:MI:SS';

/** Readable on purpose (it shows up in the console's watermark views): `2026-01-31 17:04:05|1234`. */
export function encodePullCursor(cursor: PullCursor): string {
  return `${cursor.modifiedAt}|${cursor.id}`;
}

/** The cursor before every row of the second `modifiedAt` (ids are positive). */
export function cursorAtSecond(modifiedAt: string): PullCursor {
  return { modifiedAt, id: '0' };
}

/** null when the text is not a cursor this connector wrote. */
export function decodePullCursor(text: string): PullCursor | null {
  const match = /^(.{19})\|(\d{1,18})$/.exec(text);
  if (!match?.[1] || !match[2] || !isWallClockText(match[1])) return null;
  return { modifiedAt: match[1], id: match[2] };
}

function toDate(wallClock: string): string {
  return `TO_DATE('${wallClock}', '${DATETIME_FORMAT}')`;
}

/** `SELECT` over `type`'s table with its watermark column, narrowed by `conditions` (over `t`). */
function selectRows(type: PullableType, conditions: string[], orderBy: string): string {
  const all = type.filter ? [type.filter, ...conditions] : conditions;
  const where = all.length > 0 ? ` WHERE ${all.map((c) => `(${c})`).join(' AND ')}` : '';
  return (
    `SELECT t.*, TO_CHAR(t.${type.modifiedColumn}, '${DATETIME_FORMAT}') AS ${CHANGED_AT_COLUMN}` +
    ` FROM ${type.suiteqlTable} t${where} ORDER BY ${orderBy}`
  );
}

/** The SuiteQL for the rows of `type` after `cursor` (null: from the beginning), oldest first,
 *  stamped before the wall-clock second `settledBefore` when it is given. */
export function incrementalQuery(
  type: PullableType,
  cursor: PullCursor | null,
  filter: PullFilter = {},
  settledBefore: string | null = null,
): string {
  const modified = `t.${type.modifiedColumn}`;
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(filter)) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(column)) throw new RangeError(`'${column}' is not a SuiteQL column name`);
    conditions.push(
      value === null
        ? `t.${column.toLowerCase()} IS NULL`
        : `t.${column.toLowerCase()} = '${value.replace(/'/g, "''")}'`,
    );
  }
  if (cursor) {
    // Both values were checked by decodePullCursor: digits and a well-formed datetime only.
    conditions.push(
      `${modified} >= ${toDate(cursor.modifiedAt)} AND (${modified} >= ${toDate(nextSecond(cursor.modifiedAt))} OR t.id > ${cursor.id})`,
    );
  }
  if (settledBefore !== null) {
    if (!isWallClockText(settledBefore)) throw new RangeError(`'${settledBefore}' is not a wall-clock second`);
    conditions.push(`${modified} < ${toDate(settledBefore)}`);
  }
  return selectRows(type, conditions, `${CHANGED_AT_COLUMN}, t.id`);
}

/** The SuiteQL for the rows of `type` with these internal ids (digits only), as a pull reads them. */
export function rowsByIdQuery(type: PullableType, ids: readonly string[]): string {
  if (ids.some((id) => !/^\d{1,18}$/.test(id))) throw new RangeError('an internal id is digits only');
  return selectRows(type, [`t.id IN (${ids.join(', ')})`], 't.id');
}
