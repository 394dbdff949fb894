/**
 * Stripe's cursor pagination: newest first; `limit` 1–100 (default 10); `starting_after` pages
 * towards older objects, `ending_before` towards newer ones (still returned newest first, as the
 * SDK's reverse auto-pagination expects); `has_more` says whether that direction goes on.
 */
import type { ParamReader } from './param-reader';
import { resourceMissing } from './stripe-error';
import type { Queryable } from './stripe-schema';
import type { WireList } from './object-shapes';

export interface ListRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'expand'] as const;

export function readListRequest(p: ParamReader): ListRequest {
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = p.string('starting_after') ?? undefined;
  const endingBefore = p.string('ending_before') ?? undefined;
  return { limit, startingAfter, endingBefore };
}

/** SQL conditions with their bound values, numbered as they are added. */
export class Conditions {
  readonly parts: string[] = [];
  readonly values: unknown[] = [];

  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(sql: string): this {
    this.parts.push(sql);
    return this;
  }

  where(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** `created=…` or `created[gt|gte|lt|lte]=…` on an integer column or expression. */
export function addRangeFilter(p: ParamReader, key: string, column: string, where: Conditions): void {
  if (!p.has(key)) return;
  if (!p.isHash(key)) {
    const exact = p.int(key);
    if (exact !== undefined && exact !== null) where.add(`${column} = ${where.bind(exact)}`);
    return;
  }
  const range = p.object(key, ['gt', 'gte', 'lt', 'lte']);
  if (!range) return;
  const ops = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  for (const [name, op] of Object.entries(ops)) {
    const bound = range.int(name);
    if (bound !== undefined && bound !== null) where.add(`${column} ${op} ${where.bind(bound)}`);
  }
}

export async function listPage<T>(
  db: Queryable,
  table: string,
  objectName: string,
  where: Conditions,
  request: ListRequest,
  /** The expression that yields each object, when it is more than the stored document. */
  select = 'doc',
): Promise<{ docs: T[]; hasMore: boolean }> {
  const cursorId = request.startingAfter ?? request.endingBefore;
  const backwards = request.startingAfter === undefined && request.endingBefore !== undefined;
  const conditions = new Conditions();
  conditions.parts.push(...where.parts);
  conditions.values.push(...where.values);
  if (cursorId !== undefined) {
    const { rows } = await db.query<{ created: string; seq: string }>(
      `SELECT created, seq FROM ${table} WHERE id = $1`,
      [cursorId],
    );
    const cursor = rows[0];
    if (!cursor) {
      throw resourceMissing(objectName, cursorId, backwards ? 'ending_before' : 'starting_after', false);
    }
    const created = conditions.bind(cursor.created);
    const seq = conditions.bind(cursor.seq);
    conditions.add(`(created, seq) ${backwards ? '>' : '<'} (${created}::bigint, ${seq}::bigint)`);
  }
  const order = backwards ? 'created ASC, seq ASC' : 'created DESC, seq DESC';
  const limit = conditions.bind(request.limit + 1);
  const { rows } = await db.query<{ doc: T }>(
    `SELECT ${select} AS doc FROM ${table} ${conditions.where()} ORDER BY ${order} LIMIT ${limit}`,
    conditions.values,
  );
  const hasMore = rows.length > request.limit;
  const page = rows.slice(0, request.limit).map((r) => r.doc);
  return { docs: backwards ? page.reverse() : page, hasMore };
}

export function listObject<T>(url: string, data: T[], hasMore: boolean): WireList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}
