import { expect, test } from '@playwright/test';
import { withConsoleDatabase } from './database';
import { DEMO, signInAndWait } from './support';

/** What a billing run left in the ledger: one exception it raised and one time entry it delivered. */
async function billingOutcomes() {
  return withConsoleDatabase(async (client) => {
    const exception = await client.query<{ id: string }>(
      `SELECT e.id::text FROM "SyncException" e
        WHERE e.routine = 'billing_eligibility'
          AND EXISTS (SELECT 1 FROM "LedgerEntry" l WHERE l."correlationId" = e."correlationId" AND l."traceKey" IS NOT NULL)
        ORDER BY e."firstSeenAt", e.id LIMIT 1`,
    );
    const delivered = await client.query<{ sourceId: string; traceKey: string; runId: string }>(
      // One among the first hundred its run settled: the ones the run's page lists.
      `SELECT "sourceId", "traceKey", "runId" FROM (
          SELECT "sourceId", "traceKey"::text AS "traceKey", "runId"::text AS "runId", routine, "sourceType", outcome, id,
            row_number() OVER (PARTITION BY "runId" ORDER BY id) AS position
          FROM "LedgerEntry") AS l
        WHERE routine = 'billing_eligibility' AND "sourceType" = 'timebill' AND outcome = 'delivered' AND position <= 100
        ORDER BY id LIMIT 1`,
    );
    return { exceptionId: exception.rows[0]?.id, timeEntry: delivered.rows[0] };
  });
}

let outcomes: Awaited<ReturnType<typeof billingOutcomes>>;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  outcomes = await billingOutcomes();
  if (outcomes.exceptionId && outcomes.timeEntry) return;
  const page = await browser.newPage();
  await signInAndWait(page, DEMO.finance);
  await page.goto('/runs');
  await page
    .getByRole('table', { name: 'Routine schedules' })
    .getByRole('row')
    .filter({ hasText: 'Billing eligibility' })
    .getByRole('button', { name: 'Run Billing eligibility now' })
    .click();
  await expect
    .poll(async () => ((outcomes = await billingOutcomes()).exceptionId && outcomes.timeEntry ? 1 : 0), {
      timeout: 150_000,
      intervals: [2_000],
    })
    .toBe(1);
  await page.close();
});

test('from an exception, its record’s trace opens with the exception on the way', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto(`/exceptions/${outcomes.exceptionId}`);
  await page.getByRole('link', { name: 'Trace this record end to end' }).click();
  await expect(page).toHaveURL(/\/trace\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: /^Trace of / })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Approved work and milestones');
  // The deal's exceptions on the way, this one among them, each opening its own page.
  const onTheWay = page.getByRole('list', { name: 'Exceptions on the way' });
  await onTheWay.locator(`a[href="/exceptions/${outcomes.exceptionId}"]`).click();
  await expect(page).toHaveURL(`/exceptions/${outcomes.exceptionId}`);
});

test('a search by an external id opens that record’s trace; an unknown id says so', async ({ page }) => {
  const { sourceId, traceKey } = outcomes.timeEntry!;
  await signInAndWait(page, DEMO.auditor);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Record trace' }).click();
  const search = page.getByRole('search', { name: 'Trace a record', exact: true });
  await search.getByLabel('External id').fill(sourceId);
  await search.getByRole('button', { name: 'Trace' }).click();
  await expect(page).toHaveURL(`/trace/${traceKey}`);
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText(sourceId);

  await page.goto('/trace');
  await search.getByLabel('External id').fill('NO-SUCH-RECORD-42');
  await search.getByRole('button', { name: 'Trace' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Nothing Syncwright synced has the id “NO-SUCH-RECORD-42”' }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Record trace' })).toBeVisible();

  await page.goto('/trace/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('heading', { name: 'No synced record has this trace key' })).toBeVisible();
});

test('the search in the console’s header traces an external id from any page', async ({ page }) => {
  const { sourceId, traceKey } = outcomes.timeEntry!;
  await signInAndWait(page, DEMO.finance);
  await page.goto('/runs');
  const search = page.getByRole('search', { name: 'Trace a record from any page' });
  await search.getByLabel('External id').fill(sourceId);
  await search.getByLabel('External id').press('Enter');
  await expect(page).toHaveURL(`/trace/${traceKey}`);
  await expect(page.getByRole('list', { name: 'Timeline' })).toContainText(sourceId);
});

test('a run’s records open their trace', async ({ page }) => {
  const { sourceId, traceKey, runId } = outcomes.timeEntry!;
  await signInAndWait(page, DEMO.operations);
  await page.goto(`/runs/${runId}`);
  await page.getByRole('list', { name: 'Run records' }).getByRole('link', { name: sourceId, exact: true }).click();
  await expect(page).toHaveURL(`/trace/${traceKey}`);
  await expect(page.getByRole('heading', { level: 1, name: /^Trace of / })).toBeVisible();
});
