import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkInsertRecords } from '@/sandbox/netsuite/bulk-insert';
import { ConnectorError, type PulledRecord } from '@/server/connectors/connector';
import { type NetSuiteHarness, startNetSuiteHarness } from '@/test/netsuite-emulator-harness';
import type { NetSuiteConnector } from './netsuite-connector';
import { PULLABLE_OBJECT_TYPES } from './object-types';
import { encodePullCursor } from './pull-query';

const TIME_ENTRIES = 2_500;
/** 2,000 entries share this second (at scattered milliseconds); the last 500 share the next one. */
const SHARED_SECOND = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);

let harness: NetSuiteHarness;
let pool: pg.Pool;
let connector: NetSuiteConnector;

function wallClock(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

beforeAll(async () => {
  harness = await startNetSuiteHarness({ accountDataAt: SHARED_SECOND });
  pool = harness.pool;
  const ref = { id: '1' };
  await bulkInsertRecords(
    pool,
    'timebill',
    Array.from({ length: TIME_ENTRIES }, (_, index) => {
      const id = index + 1;
      // Milliseconds run against id order, so ordering by the full timestamp would differ from
      // ordering by the second: a page boundary inside the second would then skip rows.
      const millis = id <= 2_000 ? (id * 7_919) % 1_000 : 1_000 + ((id * 31) % 1_000);
      return {
        id,
        externalId: `TE-${id}`,
        fields: {
          employee: ref,
          customer: ref,
          subsidiary: ref,
          tranDate: '2026-01-15',
          hours: '7.25',
          rate: '150.00',
          approvalStatus: '1',
          lastModifiedDate: new Date(SHARED_SECOND.getTime() + millis),
        },
      };
    }),
  );
  connector = harness.connect();
});

afterAll(() => harness?.stop());

/** Waits until the seconds written in so far have closed on the account's clock and settled. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 3_500));

async function pullAll(objectType: string, cursor: string | null, limit: number) {
  const pages: Array<{ records: PulledRecord[]; hasMore: boolean }> = [];
  let next = cursor;
  for (;;) {
    const page = await connector.pull(objectType, next, limit);
    pages.push(page);
    next = page.nextCursor;
    if (!page.hasMore) return { pages, cursor: next };
    if (pages.length > 1_000) throw new Error('pull does not end');
  }
}

describe('NetSuite connector: pull', () => {
  it('pages 2,500 time entries sharing timestamps in pages of 1,000, each exactly once, then only what changed', async () => {
    const first = await pullAll('timebill', null, 1_000);
    expect(first.pages.map((p) => p.records.length)).toEqual([1_000, 1_000, 500]);
    expect(first.pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    const ids = first.pages.flatMap((p) => p.records.map((r) => r.externalId));
    expect(ids).toHaveLength(TIME_ENTRIES);
    expect(new Set(ids).size).toBe(TIME_ENTRIES);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: TIME_ENTRIES }, (_, i) => String(i + 1))));

    const sample = first.pages[0]?.records[0];
    expect(sample).toMatchObject({
      objectType: 'timebill',
      changedAt: SHARED_SECOND.toISOString(),
      data: { hours: '7.25', rate: '150', approvalstatus: '1', customer: '1' },
    });
    expect(sample?.data).not.toHaveProperty('links');
    expect(sample?.data).not.toHaveProperty('sw_changed_at');
    expect(first.pages[2]?.records.at(-1)?.changedAt).toBe(new Date(SHARED_SECOND.getTime() + 1_000).toISOString());
    expect(first.cursor).toBe(
      `${wallClock(new Date(SHARED_SECOND.getTime() + 1_000))}|${first.pages[2]?.records.at(-1)?.externalId}`,
    );

    for (const id of ['17', '1234', '2500']) {
      const result = await connector.upsert(
        'timebill',
        { key: `TE-${id}`, targetId: id, fields: { approvalStatus: { id: '2' }, memo: 'approved' } },
        `approve-${id}`,
      );
      expect(result).toEqual({ externalId: id, created: false });
    }
    await settle();
    const changed = await pullAll('timebill', first.cursor, 1_000);
    const changedRecords = changed.pages.flatMap((p) => p.records);
    expect(changedRecords.map((r) => r.externalId).sort()).toEqual(['1234', '17', '2500']);
    expect(changedRecords.every((r) => r.data.memo === 'approved' && r.data.approvalstatus === '2')).toBe(true);

    // Nothing new: the cursor stays where it was.
    const idle = await connector.pull('timebill', changed.cursor, 1_000);
    expect(idle).toEqual({ records: [], nextCursor: changed.cursor, hasMore: false });
  });

  it('never skips or repeats inside one shared second, whatever the page size', async () => {
    const { pages } = await pullAll('timebill', null, 37);
    const ids = pages.flatMap((p) => p.records.map((r) => r.externalId));
    // Oldest second first, id order within a second; the three entries approved by the previous
    // test now carry the newest timestamps and come last.
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
    const approved = ['17', '1234', '2500'];
    const expected = [...range(1, 2_000), ...range(2_001, 2_500)]
      .filter((id) => !approved.includes(id))
      .concat(approved);
    expect(ids).toEqual(expected);
    expect(pages.slice(0, -1).every((p) => p.records.length === 37 && p.hasMore)).toBe(true);
  });

  it('reads every supported object type, including invoices in the transaction table and custom records', async () => {
    const invoice = await connector.upsert(
      'invoice',
      {
        key: 'INV-PULL-1',
        fields: {
          entity: { externalId: 'ACC-1' },
          subsidiary: { id: '1' },
          currency: { id: '1' },
          tranDate: '2026-02-01',
          total: '1500.25',
        },
      },
      'inv-1',
    );
    const rateCard = await connector.upsert(
      'customrecord_sw_ratecard',
      {
        key: 'RC-PULL-1',
        fields: {
          name: 'Senior',
          custrecord_sw_rc_project: { externalId: 'PRJ-1' },
          custrecord_sw_rc_rate: '210.50',
          custrecord_sw_rc_currency: { id: '1' },
        },
      },
      'rc-1',
    );
    await settle();
    for (const objectType of PULLABLE_OBJECT_TYPES) {
      const { pages, cursor } = await pullAll(objectType, null, 1_000);
      for (const record of pages.flatMap((p) => p.records)) {
        expect(record.objectType).toBe(objectType);
        expect(record.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      }
      // A pull from the returned cursor proves the watermark query runs on this table too.
      const after = await connector.pull(objectType, cursor, 1_000);
      expect(after.records, objectType).toEqual([]);
    }
    const invoices = await connector.pull('invoice', null, 1_000);
    expect(invoices.records.map((r) => [r.externalId, r.data.type, r.data.total, r.data.externalid])).toEqual([
      [invoice.externalId, 'CustInvc', '1500.25', 'INV-PULL-1'],
    ]);
    const rateCards = await connector.pull('customrecord_sw_ratecard', null, 1_000);
    expect(rateCards.records.map((r) => [r.externalId, r.data.custrecord_sw_rc_rate])).toEqual([
      [rateCard.externalId, '210.5'],
    ]);
    const customers = await connector.pull('customer', null, 1_000);
    expect(customers.records.map((r) => r.data.externalid)).toEqual(['ACC-1']);
  });

  it('reads only the records matching a filter, and refuses a filter that is not a column name', async () => {
    const matching = await connector.pull('timebill', null, 1_000, { approvalStatus: '1' });
    expect(matching.records.length).toBe(1_000);
    const none = await connector.pull('timebill', null, 1_000, { subsidiary: '999' });
    expect(none.records).toEqual([]);
    // null asks for an empty field.
    const noMemo = await connector.pull('timebill', null, 1_000, { memo: null });
    expect(noMemo.records.length).toBe(1_000);
    expect(noMemo.records.every((r) => r.data.memo === undefined || r.data.memo === null)).toBe(true);
    const withMemo = await connector.pull('timebill', null, 1_000, { memo: 'approved', approvalStatus: '2' });
    expect(withMemo.records.length).toBeGreaterThan(0);
    expect(withMemo.records.every((r) => r.data.memo === 'approved')).toBe(true);
    const bad = await connector.pull('timebill', null, 10, { 'x = 1 OR y': '1' }).catch((e: unknown) => e);
    expect((bad as ConnectorError).classified).toMatchObject({ class: 'config', code: 'INVALID_FILTER' });
  });

  it('reads records again by internal id as a pull gives them, beyond one page, leaving out ids it lacks', async () => {
    for (const objectType of ['timebill', 'invoice']) {
      const pulled = (await pullAll(objectType, null, 1_000)).pages.flatMap((p) => p.records);
      expect(pulled.length, objectType).toBeGreaterThan(0);
      const current = await connector.readCurrent(objectType, [
        ...pulled.map((r) => r.externalId),
        '987654321',
        'TE-1',
      ]);
      expect(new Map(current.map((r) => [r.externalId, r])), objectType).toEqual(
        new Map(pulled.map((r) => [r.externalId, r])),
      );
    }
    expect(await connector.readCurrent('timebill', [])).toEqual([]);
    const unknown = await connector.readCurrent('salesorder', ['1']).catch((error: unknown) => error);
    expect((unknown as ConnectorError).classified).toMatchObject({ class: 'config', code: 'UNKNOWN_OBJECT_TYPE' });
  });

  it('refuses an unknown object type and a cursor it did not write, as configuration errors', async () => {
    const unknown = await connector.pull('salesorder', null, 10).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(ConnectorError);
    expect((unknown as ConnectorError).classified).toMatchObject({ class: 'config', code: 'UNKNOWN_OBJECT_TYPE' });
    for (const cursor of ['yesterday', '2026-01-01 00:00:00|1 OR 1=1', '2026-13-01 00:00:00|5']) {
      const error = await connector.pull('timebill', cursor, 10).catch((e: unknown) => e);
      expect((error as ConnectorError).classified, cursor).toMatchObject({ class: 'config', code: 'INVALID_CURSOR' });
    }
  });

  it('runs SuiteQL pages with offset and totals', async () => {
    const page = await connector.suiteql('SELECT id, hours FROM timebill WHERE id <= 25 ORDER BY id', {
      limit: 10,
      offset: 10,
    });
    expect(page.totalResults).toBe(25);
    expect(page.hasMore).toBe(true);
    expect(page.items.map((i) => i.id)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 11)));
    expect(page.items[0]).toEqual({ id: '11', hours: '7.25' });
    const last = await connector.suiteql('SELECT id FROM timebill WHERE id <= 25 ORDER BY id', {
      limit: 10,
      offset: 20,
    });
    expect(last).toMatchObject({ hasMore: false, totalResults: 25 });
    expect(last.items).toHaveLength(5);
  });

  it('reads only seconds that have closed on the account’s clock, unless asked for records as they are now', async () => {
    const now = Date.now();
    const ref = { id: '1' };
    const entry = (id: number, stamp: Date) => ({
      id,
      externalId: `CLOCK-${id}`,
      fields: {
        employee: ref,
        customer: ref,
        subsidiary: ref,
        tranDate: '2026-01-16',
        hours: '1',
        memo: 'clock',
        lastModifiedDate: stamp,
      },
    });
    await bulkInsertRecords(pool, 'timebill', [
      entry(9_001, new Date(now - 60_000)),
      entry(9_002, new Date(now + 3_600_000)),
    ]);
    const settled = await connector.pull('timebill', null, 10, { memo: 'clock' });
    expect(settled.records.map((r) => r.externalId)).toEqual(['9001']);
    expect(settled.hasMore).toBe(false);
    const current = await connector.pull('timebill', null, 10, { memo: 'clock' }, { includeUnsettled: true });
    expect(current.records.map((r) => r.externalId)).toEqual(['9001', '9002']);
  });

  it('restarts a read at a moment, and tells how far a cursor has read', async () => {
    const at = Date.UTC(2025, 5, 1, 10, 0, 0);
    const ref = { id: '1' };
    const entry = (id: number, stamp: number) => ({
      id,
      externalId: `RESTART-${id}`,
      fields: {
        employee: ref,
        customer: ref,
        subsidiary: ref,
        tranDate: '2025-06-01',
        hours: '1',
        memo: 'restart',
        lastModifiedDate: new Date(stamp),
      },
    });
    await bulkInsertRecords(pool, 'timebill', [
      entry(9_101, at + 250),
      entry(9_102, at + 5_000),
      entry(9_103, at + 9_000),
    ]);
    const read = (cursor: string) => connector.pull('timebill', cursor, 2, { memo: 'restart' });
    const saved = encodePullCursor({ modifiedAt: '2026-01-01 00:00:00', id: '1' });
    const fromAt = await read(connector.rewind('timebill', saved, new Date(at + 999)));
    expect(fromAt.records.map((r) => r.externalId)).toEqual(['9101', '9102']);
    expect(connector.cursorTime('timebill', fromAt.nextCursor!)).toEqual(new Date(at + 5_000));
    const fromNextSecond = await read(connector.rewind('timebill', saved, new Date(at + 1_000)));
    expect(fromNextSecond.records.map((r) => r.externalId)).toEqual(['9102', '9103']);
  });
});
