import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMinimalAccountData } from '@/test/netsuite-minimal-account-data';
import { createScratchDatabase } from '@/test/scratch-database';
import { bulkInsertRecords } from './bulk-insert';
import { type NetSuiteEmulator, startNetSuiteEmulator } from './netsuite-emulator';
import { signedFetch, suiteqlFetch } from './oauth-signed-fetch';

const ROWS = 2_500;
/** When the loaded time entries were last changed: an hour ago, whole seconds. */
const LOADED_AT = new Date(Math.floor((Date.now() - 3_600_000) / 1000) * 1000);

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: NetSuiteEmulator;

function oracleText(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  emulator = await startNetSuiteEmulator({ pool });
  await loadMinimalAccountData(pool, { now: LOADED_AT });
  const ref = { id: '1' };
  await bulkInsertRecords(
    pool,
    'timebill',
    Array.from({ length: ROWS }, (_, i) => ({
      id: i + 1,
      externalId: `TE-${i + 1}`,
      fields: {
        employee: ref,
        customer: ref,
        item: ref,
        subsidiary: ref,
        tranDate: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
        hours: `${i % 8}.50`,
        rate: '150.00',
        isBillable: i % 10 !== 0,
        approvalStatus: i % 3 === 0 ? '1' : '2',
        memo: i % 2 === 0 ? `entry ${i + 1}` : null,
      },
    })),
    { now: LOADED_AT },
  );
});

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

async function query(q: string, limit = 1000, offset = 0) {
  const response = await suiteqlFetch(emulator, q, limit, offset);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${response.status}: ${JSON.stringify(body)}`);
  return body;
}

async function expectSearchError(response: Response, code = 'INVALID_PARAMETER') {
  expect(response.status).toBe(400);
  const body = await response.json();
  expect(body).toMatchObject({
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: 'Bad Request',
    status: 400,
    'o:errorDetails': [{ 'o:errorCode': code }],
  });
  expect(body['o:errorDetails']).toHaveLength(1);
  return body['o:errorDetails'][0] as Record<string, string>;
}

describe('SuiteQL', () => {
  it(`pages ${ROWS} rows with hasMore, offset, totalResults and links, each row once`, async () => {
    const q = 'SELECT id, hours, trandate FROM timebill ORDER BY lastmodifieddate, id';
    const seen = new Set<string>();
    let offset = 0;
    let pages = 0;
    for (;;) {
      const page = await query(q, 1000, offset);
      pages++;
      expect(page.offset).toBe(offset);
      expect(page.totalResults).toBe(ROWS);
      expect(page.count).toBe(page.items.length);
      const rels = Object.fromEntries(page.links.map((l: { rel: string; href: string }) => [l.rel, l.href]));
      const href = (o: number) => `${emulator.baseUrl}/services/rest/query/v1/suiteql?limit=1000&offset=${o}`;
      expect(rels.self).toBe(href(offset));
      expect(rels.first).toBe(href(0));
      expect(rels.last).toBe(href(2000));
      for (const item of page.items) {
        expect(item.links).toEqual([]);
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      if (!page.hasMore) {
        expect(rels.next).toBeUndefined();
        expect(page.count).toBe(500);
        break;
      }
      expect(page.count).toBe(1000);
      expect(rels.next).toBe(href(offset + 1000));
      offset += 1000;
    }
    expect(pages).toBe(3);
    expect(seen.size).toBe(ROWS);
  });

  it('returns values as strings in NetSuite formats, leaving nulls out', async () => {
    const page = await query(
      "SELECT id, externalid, hours, rate, trandate, isbillable, approvalstatus, memo, employee, lastmodifieddate, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lm FROM timebill WHERE id IN (1, 2) ORDER BY id",
    );
    expect(page.items).toEqual([
      {
        links: [],
        id: '1',
        externalid: 'TE-1',
        hours: '0.5',
        rate: '150',
        trandate: '1/1/2026',
        isbillable: 'F',
        approvalstatus: '1',
        memo: 'entry 1',
        employee: '1',
        lastmodifieddate: `${LOADED_AT.getUTCMonth() + 1}/${LOADED_AT.getUTCDate()}/${LOADED_AT.getUTCFullYear()}`,
        lm: oracleText(LOADED_AT),
      },
      {
        links: [],
        id: '2',
        externalid: 'TE-2',
        hours: '1.5',
        rate: '150',
        trandate: '1/2/2026',
        isbillable: 'T',
        approvalstatus: '2',
        employee: '1',
        lastmodifieddate: `${LOADED_AT.getUTCMonth() + 1}/${LOADED_AT.getUTCDate()}/${LOADED_AT.getUTCFullYear()}`,
        lm: oracleText(LOADED_AT),
      },
    ]);
  });

  it('filters with comparisons, IN, BETWEEN, LIKE, IS NULL and boolean logic', async () => {
    const count = async (where: string) => (await query(`SELECT id FROM timebill t WHERE ${where}`, 1)).totalResults;
    expect(await count("t.isbillable = 'F'")).toBe(ROWS / 10);
    expect(await count('id <= 10 AND memo IS NULL')).toBe(5);
    expect(await count('id BETWEEN 11 AND 20 AND NOT (approvalstatus = 1)')).toBe(7);
    expect(await count("memo LIKE 'entry 1%' AND id < 200")).toBe(56);
    // day 28: i % 28 = 27 (89 rows); 7.5 hours: i % 8 = 7 (312 rows); both: i % 56 = 55 (44 rows)
    expect(await count("trandate >= TO_DATE('2026-01-28', 'YYYY-MM-DD') OR hours > 7")).toBe(89 + 312 - 44);
    expect(await count("externalid IN ('TE-5', 'TE-6', 'NONE') OR id = 7")).toBe(3);
    expect(await count("hours <> '0.5' AND id <= 8")).toBe(7);
  });

  it('reads incrementally: lastmodifieddate > watermark returns only the changed rows', async () => {
    const watermark = `TO_DATE('${oracleText(new Date(LOADED_AT.getTime() + 1000))}', 'YYYY-MM-DD HH24:MI:SS')`;
    const before = await query(`SELECT id FROM timebill WHERE lastmodifieddate > ${watermark}`);
    expect(before.totalResults).toBe(0);

    for (const id of [17, 1234, 2500]) {
      const response = await signedFetch(emulator, 'PATCH', `/services/rest/record/v1/timebill/${id}`, {
        body: { approvalStatus: { id: '2' }, memo: 'approved' },
      });
      expect(response.status).toBe(204);
    }
    const changed = await query(
      `SELECT id, memo, approvalstatus FROM timebill WHERE lastmodifieddate > ${watermark} ORDER BY lastmodifieddate, id`,
    );
    expect(changed.totalResults).toBe(3);
    expect(changed.items.map((i: { id: string }) => i.id).sort()).toEqual(['1234', '17', '2500']);
    expect(
      changed.items.every(
        (i: { memo: string; approvalstatus: string }) => i.memo === 'approved' && i.approvalstatus === '2',
      ),
    ).toBe(true);

    const sysdate = await query('SELECT id FROM timebill WHERE lastmodifieddate >= SYSDATE - 0.01');
    expect(sysdate.totalResults).toBe(3);
  });

  it('serves invoices from the transaction table', async () => {
    const created = await signedFetch(emulator, 'POST', '/services/rest/record/v1/invoice', {
      body: {
        entity: { id: '1' },
        subsidiary: { id: '1' },
        currency: { id: '1' },
        tranDate: '2026-01-31',
        total: 1500.25,
        tranId: 'INV-1',
      },
    });
    expect(created.status).toBe(204);
    const page = await query("SELECT id, tranid, type, total, entity FROM transaction WHERE type = 'CustInvc'");
    expect(page.items).toEqual([
      { links: [], id: '1', tranid: 'INV-1', type: 'CustInvc', total: '1500.25', entity: '1' },
    ]);
  });

  it('answers a query it cannot run with the documented 400 body', async () => {
    const unknownTable = await expectSearchError(await suiteqlFetch(emulator, 'SELECT id FROM salesorders'));
    expect(unknownTable.detail).toBe(
      'Invalid search query. Detailed unprocessed description follows. Invalid search type: salesorders.',
    );
    expect(unknownTable['o:errorQueryParam']).toBe('q');

    const unknownColumn = await expectSearchError(await suiteqlFetch(emulator, 'SELECT shoesize FROM timebill'));
    expect(unknownColumn.detail).toContain(
      "Unknown identifier 'shoesize'. Available identifiers are: {timebill=timebill}.",
    );

    const syntax = await expectSearchError(await suiteqlFetch(emulator, 'SELEC id FROM timebill'));
    expect(syntax.detail).toMatch(/^Invalid search query\. .*could not be parsed/);

    const join = await expectSearchError(
      await suiteqlFetch(emulator, 'SELECT t.id FROM timebill t JOIN employee e ON e.id = t.employee'),
    );
    expect(join.detail).toContain('joins is not supported');

    const badDate = await expectSearchError(
      await suiteqlFetch(
        emulator,
        "SELECT id FROM timebill WHERE lastmodifieddate > TO_DATE('31.01.2026', 'YYYY-MM-DD')",
      ),
    );
    expect(badDate.detail).toContain("does not match format 'YYYY-MM-DD'");

    const badNumber = await expectSearchError(await suiteqlFetch(emulator, "SELECT id FROM timebill WHERE id = 'abc'"));
    expect(badNumber.detail).toContain("'abc' is not a valid number");
  });

  it('requires Prefer: transient and paging parameters NetSuite accepts', async () => {
    const noPrefer = await signedFetch(emulator, 'POST', '/services/rest/query/v1/suiteql', {
      body: { q: 'SELECT id FROM timebill' },
    });
    const detail = await expectSearchError(noPrefer, 'INVALID_HEADER');
    expect(detail['o:errorHeader']).toBe('Prefer');

    const offset = await expectSearchError(await suiteqlFetch(emulator, 'SELECT id FROM timebill', 1000, 500));
    expect(offset['o:errorQueryParam']).toBe('offset');
    const limit = await expectSearchError(await suiteqlFetch(emulator, 'SELECT id FROM timebill', 1001, 0));
    expect(limit['o:errorQueryParam']).toBe('limit');

    const noQuery = await signedFetch(emulator, 'POST', '/services/rest/query/v1/suiteql', {
      body: { query: 'SELECT id FROM timebill' },
      headers: { Prefer: 'transient' },
    });
    await expectSearchError(noQuery);
  });
});
