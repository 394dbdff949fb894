import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMinimalAccountData } from '@/test/netsuite-minimal-account-data';
import { createScratchDatabase } from '@/test/scratch-database';
import { type NetSuiteEmulator, startNetSuiteEmulator } from './netsuite-emulator';
import { signedFetch } from './oauth-signed-fetch';

const RECORDS = '/services/rest/record/v1';

let db: Awaited<ReturnType<typeof createScratchDatabase>>;
let pool: pg.Pool;
let emulator: NetSuiteEmulator;

beforeAll(async () => {
  db = await createScratchDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: db.url, max: 8 });
  emulator = await startNetSuiteEmulator({ pool });
  await loadMinimalAccountData(pool);
});

afterAll(async () => {
  await emulator?.close();
  await pool?.end();
  await db?.drop();
});

const call = (method: string, path: string, body?: unknown) => signedFetch(emulator, method, path, { body });

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('type=error');
  const body = await response.json();
  expect(body).toMatchObject({ status, 'o:errorDetails': [{ 'o:errorCode': code }] });
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  return body as { 'o:errorDetails': Array<Record<string, string>> };
}

describe('record service', () => {
  it('creates (204 + Location), reads, patches and upserts by external id', async () => {
    const created = await call('POST', `${RECORDS}/customer`, {
      companyName: 'Globex Ltd',
      externalId: 'ACC-GLOBEX',
      subsidiary: { id: '1' },
      currency: { externalId: undefined, id: 1 },
      email: 'ap@globex.example',
    });
    expect(created.status).toBe(204);
    expect(await created.text()).toBe('');
    const location = created.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^${emulator.baseUrl}${RECORDS}/customer/\\d+$`));
    const id = location.split('/').pop() ?? '';
    expect(Number(id)).toBeGreaterThan(1); // continues after the loaded customer 1

    const read = await call('GET', `${RECORDS}/customer/${id}`);
    expect(read.status).toBe(200);
    const customer = await read.json();
    expect(customer).toMatchObject({
      links: [{ rel: 'self', href: location }],
      id,
      externalId: 'ACC-GLOBEX',
      companyName: 'Globex Ltd',
      email: 'ap@globex.example',
      subsidiary: {
        id: '1',
        refName: 'Syncwright Demo Inc.',
        links: [{ rel: 'self', href: `${emulator.baseUrl}${RECORDS}/subsidiary/1` }],
      },
      currency: { id: '1', refName: 'US Dollar' },
      isInactive: false,
    });
    expect(customer.dateCreated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(customer.lastModifiedDate).toBe(customer.dateCreated);
    expect(customer).not.toHaveProperty('phone'); // empty fields are left out

    const byExternalId = await (await call('GET', `${RECORDS}/customer/eid:ACC-GLOBEX`)).json();
    expect(byExternalId.id).toBe(id);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const patched = await call('PATCH', `${RECORDS}/customer/${id}`, { phone: '+44 20 7946 0000', email: null });
    expect(patched.status).toBe(204);
    const afterPatch = await (await call('GET', `${RECORDS}/customer/${id}`)).json();
    expect(afterPatch.phone).toBe('+44 20 7946 0000');
    expect(afterPatch).not.toHaveProperty('email');
    expect(afterPatch.companyName).toBe('Globex Ltd');
    expect(afterPatch.lastModifiedDate > customer.lastModifiedDate).toBe(true);
    expect(afterPatch.dateCreated).toBe(customer.dateCreated);

    const upsertCreate = await call('PUT', `${RECORDS}/job/eid:PRJ-GLOBEX`, {
      companyName: 'Globex data platform',
      parent: { externalId: 'ACC-GLOBEX' },
      subsidiary: { id: '1' },
      currency: { id: '1' },
      jobBillingType: { id: 'FBM' },
      custentity_sw_budget: 125000.5,
    });
    expect(upsertCreate.status).toBe(204);
    const jobLocation = upsertCreate.headers.get('location') ?? '';
    expect(jobLocation).toMatch(/\/job\/\d+$/);
    const jobId = jobLocation.split('/').pop();

    const upsertUpdate = await call('PUT', `${RECORDS}/job/eid:PRJ-GLOBEX`, { custentity_sw_practice: 'Data' });
    expect(upsertUpdate.status).toBe(204);
    expect(upsertUpdate.headers.get('location')).toBeNull();
    const job = await (await call('GET', `${RECORDS}/job/eid:PRJ-GLOBEX`)).json();
    expect(job).toMatchObject({
      id: jobId,
      externalId: 'PRJ-GLOBEX',
      companyName: 'Globex data platform',
      custentity_sw_practice: 'Data',
      custentity_sw_budget: 125000.5,
      parent: { id, refName: 'Globex Ltd' },
      jobBillingType: { id: 'FBM', refName: 'Fixed Bid, Milestone' },
    });
    const jobs = await pool.query(
      `SELECT count(*)::int AS n FROM sandbox_netsuite.job WHERE external_id = 'PRJ-GLOBEX'`,
    );
    expect(jobs.rows[0].n).toBe(1);
  });

  it('keeps decimal amounts exact through write and read', async () => {
    const response = await call('POST', `${RECORDS}/customrecord_sw_ratecard`, {
      name: 'Principal',
      custrecord_sw_rc_project: { id: '1' },
      custrecord_sw_rc_role: 'Principal',
      custrecord_sw_rc_rate: '12345678901234567.89',
      custrecord_sw_rc_currency: { id: '1' },
    });
    expect(response.status).toBe(204);
    const id = response.headers.get('location')?.split('/').pop();
    const raw = await (await call('GET', `${RECORDS}/customrecord_sw_ratecard/${id}`)).text();
    expect(raw).toContain('"custrecord_sw_rc_rate":12345678901234567.89');
    expect(raw).toMatch(/"created":"[^"]+Z","lastModified":"[^"]+Z"/);
  });

  it('deletes a record', async () => {
    const created = await call('POST', `${RECORDS}/customer`, {
      companyName: 'Short-lived',
      subsidiary: { id: '1' },
      currency: { id: '1' },
    });
    const location = created.headers.get('location') ?? '';
    const path = location.slice(emulator.baseUrl.length);
    expect((await call('DELETE', path)).status).toBe(204);
    await expectProblem(await call('GET', path), 404, 'NONEXISTENT_ID');
    await expectProblem(await call('DELETE', path), 404, 'NONEXISTENT_ID');
  });

  it('answers validation errors in the documented shape', async () => {
    const missing = await expectProblem(
      await call('POST', `${RECORDS}/customer`, { subsidiary: { id: '1' } }),
      400,
      'USER_ERROR',
    );
    expect(missing['o:errorDetails'][0]?.detail).toContain('Company Name');

    const badRef = await expectProblem(
      await call('POST', `${RECORDS}/customer`, { companyName: 'X', subsidiary: { id: '999' }, currency: { id: '1' } }),
      400,
      'INVALID_KEY_OR_REF',
    );
    expect(badRef['o:errorDetails'][0]?.['o:errorPath']).toBe('subsidiary');

    const badType = await expectProblem(
      await call('POST', `${RECORDS}/timebill`, {
        employee: { id: '1' },
        customer: { id: '1' },
        tranDate: '2026-02-30',
        hours: 2,
        subsidiary: { id: '1' },
      }),
      400,
      'INVALID_CONTENT',
    );
    expect(badType['o:errorDetails'][0]?.['o:errorPath']).toBe('tranDate');

    await expectProblem(
      await call('POST', `${RECORDS}/customer`, { companyName: 'Y', nonsense: 1 }),
      400,
      'INVALID_CONTENT',
    );
    await expectProblem(await call('POST', `${RECORDS}/customer`, '{"companyName":'), 400, 'INVALID_CONTENT');
    await expectProblem(
      await call('POST', `${RECORDS}/customer`, {
        companyName: 'Dup',
        externalId: 'ACC-1',
        subsidiary: { id: '1' },
        currency: { id: '1' },
      }),
      400,
      'DUP_RCRD',
    );
    await expectProblem(await call('PATCH', `${RECORDS}/customer/1`, { companyName: null }), 400, 'USER_ERROR');
    await expectProblem(await call('GET', `${RECORDS}/customer/424242`), 404, 'NONEXISTENT_ID');
    await expectProblem(await call('GET', `${RECORDS}/customer/eid:NOPE`), 404, 'NONEXISTENT_ID');
    await expectProblem(await call('GET', `${RECORDS}/customer/abc`), 400, 'INVALID_ID');
    await expectProblem(await call('GET', `${RECORDS}/salesorder`), 404, 'INVALID_RCRD_TYPE');
    await expectProblem(await call('PUT', `${RECORDS}/customer/1`, { companyName: 'Z' }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('pages a record list with limit, offset and links', async () => {
    const base = 100;
    const creates = Array.from({ length: 5 }, (_, i) =>
      call('POST', `${RECORDS}/employee`, {
        firstName: `P${i}`,
        lastName: 'Pager',
        subsidiary: { id: '1' },
        externalId: `EMP-P${i}`,
      }),
    );
    for (const response of await Promise.all(creates)) expect(response.status).toBe(204);
    const total = Number((await pool.query('SELECT count(*) AS n FROM sandbox_netsuite.employee')).rows[0].n);
    expect(total).toBe(6);

    const seen: string[] = [];
    let offset = 0;
    for (;;) {
      const response = await call('GET', `${RECORDS}/employee?limit=4&offset=${offset}`);
      expect(response.status).toBe(200);
      const page = await response.json();
      expect(page).toMatchObject({ offset, totalResults: total, count: page.items.length });
      expect(page.links).toContainEqual({
        rel: 'self',
        href: `${emulator.baseUrl}${RECORDS}/employee?limit=4&offset=${offset}`,
      });
      for (const item of page.items) {
        expect(item.links[0].href).toBe(`${emulator.baseUrl}${RECORDS}/employee/${item.id}`);
        seen.push(item.id);
      }
      if (!page.hasMore) {
        expect(page.links.some((l: { rel: string }) => l.rel === 'next')).toBe(false);
        break;
      }
      expect(page.links).toContainEqual({
        rel: 'next',
        href: `${emulator.baseUrl}${RECORDS}/employee?limit=4&offset=${offset + 4}`,
      });
      offset += 4;
      expect(offset).toBeLessThan(base);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));

    await expectProblem(await call('GET', `${RECORDS}/employee?limit=4&offset=2`), 400, 'INVALID_PARAMETER');
    await expectProblem(await call('GET', `${RECORDS}/employee?limit=1001`), 400, 'INVALID_PARAMETER');
  });

  it('filters a record list with q', async () => {
    const q = encodeURIComponent('lastName IS "Pager" AND externalId ANY_OF ["EMP-P1", "EMP-P3"]');
    const page = await (await call('GET', `${RECORDS}/employee?q=${q}`)).json();
    expect(page.totalResults).toBe(2);
    const names = await Promise.all(
      page.items.map(
        async (item: { id: string }) => (await (await call('GET', `${RECORDS}/employee/${item.id}`)).json()).firstName,
      ),
    );
    expect(names.sort()).toEqual(['P1', 'P3']);

    const startsWith = await (
      await call('GET', `${RECORDS}/employee?q=${encodeURIComponent('firstName START_WITH "p"')}`)
    ).json();
    expect(startsWith.totalResults).toBe(5);
    await expectProblem(
      await call('GET', `${RECORDS}/employee?q=${encodeURIComponent('shoeSize IS 9')}`),
      400,
      'INVALID_PARAMETER',
    );
  });
});
