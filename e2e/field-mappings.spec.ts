import { expect, test, type Page } from '@playwright/test';
import { withConsoleDatabase } from './database';
import { DEMO, signInAndWait } from './support';

async function callMutation(page: Page, path: string, input: unknown) {
  return page.evaluate(
    async ({ path, input }) => {
      const response = await fetch(`/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: input }),
      });
      return { status: response.status, body: await response.text() };
    },
    { path, input },
  );
}

const openTaxCodeExceptions = (timeBill: string) =>
  withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT e.id FROM "SyncException" e, jsonb_array_elements(e."externalIds") r
        WHERE e.code = 'TAX_CODE_MISSING' AND e."legalEntityId" = 'DE' AND e.status = 'open'
          AND r.value->>'system' = 'netsuite' AND r.value->>'externalId' = $1`,
      [timeBill],
    );
    return rows.map((r) => r.id);
  });

test('an admin fixes a DE tax-code mapping with a live preview, publishes it and dry-runs the exceptions it caused', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // In the ERP, a German customer's VAT number is removed, and a consultant books new approved time
  // for one of its projects (a copy of its latest time entry): billing can no longer find its tax code.
  // Audit entries from here on are this test's (others may have published mappings before).
  const auditFrom = await withConsoleDatabase(
    async (client) =>
      (await client.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM "AuditEvent"`)).rows[0]!.id,
  );
  const { timeBill, customer } = await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ timeBill: string; customer: string }>(
      `SELECT t.id::text AS "timeBill", c.id::text AS customer
         FROM sandbox_netsuite.timebill t
         JOIN sandbox_netsuite.job j ON j.id = t.customer
         JOIN sandbox_netsuite.customer c ON c.id = j.parent
        WHERE j.subsidiary::text = (SELECT "sourceValue" FROM "FieldMapping"
                                     WHERE kind = 'legal_entity' AND "targetValue" = 'DE' LIMIT 1)
          AND t.approvalstatus = '2' AND t.isbillable AND c.vatregnumber IS NOT NULL
        ORDER BY t.id DESC LIMIT 1`,
    );
    const found = rows[0]!;
    await client.query(
      `UPDATE sandbox_netsuite.customer SET vatregnumber = NULL, last_modified = now() - interval '5 seconds' WHERE id = $1`,
      [found.customer],
    );
    const { rows: copied } = await client.query<{ id: string }>(
      `INSERT INTO sandbox_netsuite.timebill
       SELECT (jsonb_populate_record(NULL::sandbox_netsuite.timebill, to_jsonb(t) || jsonb_build_object(
                'id', (SELECT max(id) + 1 FROM sandbox_netsuite.timebill), 'external_id', NULL,
                'custcol_sw_billed_invoice', NULL, 'hours', t.hours + 0.25,
                'date_created', now() - interval '5 seconds', 'last_modified', now() - interval '5 seconds'))).*
         FROM sandbox_netsuite.timebill t WHERE t.id = $1
       RETURNING id::text`,
      [found.timeBill],
    );
    return { timeBill: copied[0]!.id, customer: found.customer };
  });

  await signInAndWait(page, DEMO.admin);
  expect((await callMutation(page, 'runs.runNow', { routine: 'billing_eligibility' })).status).toBe(200);
  await expect.poll(async () => (await openTaxCodeExceptions(timeBill)).length, { timeout: 90_000 }).toBe(1);
  const [exceptionId] = await openTaxCodeExceptions(timeBill);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Field mappings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Field mappings' })).toBeVisible();
  await page.getByLabel('Connection and legal entity').selectOption({ label: 'Stripe (sandbox) · DE' });
  await expect(page.getByRole('heading', { name: 'Mappings in force (version 1)' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Mappings in force' })).toContainText('txcd_20030000');

  // The held record, read from the ERP, fails as billing failed it.
  await page.getByLabel('Or its internal id in the ERP').fill(timeBill);
  await page.getByRole('button', { name: 'Preview' }).click();
  const canonical = page.getByRole('region', { name: 'Canonical record' });
  await expect(canonical).toContainText(`NetSuite time entry ${timeBill}`);
  await expect(canonical.getByRole('list', { name: 'Validation errors' })).toContainText('TAX_CODE_MISSING: Customer');

  // A mapping that does not type-check is refused, naming the problem; nothing is saved.
  await page.getByRole('button', { name: 'Edit mappings' }).click();
  await page.getByRole('button', { name: 'Add mapping' }).click();
  const rows = await page.getByRole('table', { name: 'Mappings being edited' }).locator('tbody tr').count();
  await page.getByLabel(`Source value of mapping ${rows}`).fill(`customer:${customer}`);
  await page.getByLabel(`Target value of mapping ${rows}`).fill('19% USt');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(
    page.getByText(`Row ${rows}: tax code "19% USt" must be a Stripe tax code such as txcd_20030000.`),
  ).toBeVisible();
  expect(await withConsoleDatabase(async (c) => (await c.query(`SELECT 1 FROM "FieldMappingDraft"`)).rowCount)).toBe(0);

  // Corrected, the live preview shows the canonical record with its tax code.
  await page.getByLabel(`Target value of mapping ${rows}`).fill('txcd_20030000');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(canonical.getByRole('status')).toHaveText('Valid: billing would accept this record.');
  await expect(canonical.locator('[data-attribute="taxCode"]')).toContainText('txcd_20030000');
  await expect(canonical.locator('[data-attribute="legalEntityId"]')).toContainText('DE');

  await page.getByRole('button', { name: 'Save draft' }).click();
  const added = page.getByRole('table', { name: 'Draft changes' }).locator('tr[data-change="added"]');
  await expect(added).toContainText(`tax_code: customer:${customer}`);

  await page.getByRole('button', { name: 'Publish…' }).click();
  const publish = page.getByRole('dialog', { name: 'Publish field mappings' });
  await publish.getByLabel('Reason').fill('no');
  await publish.getByRole('button', { name: 'Publish' }).click();
  await expect(publish.getByText('Say why you publish this (at least 5 characters).')).toBeVisible();
  await publish.getByLabel('Reason').fill('Customer lost its USt-IdNr. in the ERP; bill under the standard code');
  await publish.getByRole('button', { name: 'Publish' }).click();
  await expect(publish).toBeHidden();

  const result = page.getByRole('region', { name: 'Published' });
  await expect(result).toContainText('Version 2 is in force');
  await expect(result.getByRole('link', { name: 'Open them in the queue' })).toHaveAttribute(
    'href',
    /\/exceptions\?code=TAX_CODE_MISSING&routine=billing_eligibility&entity=DE/,
  );
  await result.getByRole('button', { name: 'Dry-run replay the open exceptions this mapping caused' }).click();
  const dryRun = result.getByRole('region', { name: 'Dry run of affected exceptions' });
  // The time entry billing held goes through with the new mapping (other customers' held time
  // still lacks its tax code).
  await expect(dryRun.getByRole('list', { name: 'Outcomes' })).toContainText('would go through');
  const ours = dryRun
    .getByRole('list', { name: 'Affected exceptions' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: exceptionId!.slice(0, 8) }) });
  await expect(ours).toContainText('would go through');
  await expect(ours.getByRole('link')).toHaveAttribute('href', `/exceptions/${exceptionId}`);
  // A dry run writes nothing: the exception is still open.
  expect(await openTaxCodeExceptions(timeBill)).toEqual([exceptionId]);

  // The history holds both versions, and the engine reads the new one.
  await expect(page.getByRole('heading', { name: 'Mappings in force (version 2)' })).toBeVisible();
  const history = page.getByRole('table', { name: 'Published versions' });
  await expect(history.locator('tr[data-version="2"]')).toContainText('USt-IdNr.');
  await expect(history.locator('tr[data-version="1"]')).toBeVisible();
  await withConsoleDatabase(async (client) => {
    const { rows: actions } = await client.query<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE "targetType" = 'FieldMappings' AND id > $1 ORDER BY id`,
      [auditFrom],
    );
    expect(actions.map((r) => r.action)).toEqual(['mapping.draft_saved', 'mapping.published']);
  });

  // On the ERP connection, a field map gives the time entry its description from the memo,
  // upper-cased; the preview shows it, and the draft's diff lists it.
  await page.getByLabel('Connection and legal entity').selectOption({ label: 'NetSuite (sandbox) · DE' });
  await page.getByRole('button', { name: 'Edit mappings' }).click();
  await page.getByRole('region', { name: 'Field maps' }).getByRole('button', { name: 'Add field map' }).click();
  await page.getByLabel('Source field of field map 1').selectOption('memo');
  await page.getByLabel('Canonical attribute of field map 1').selectOption('description');
  await page.getByLabel('Transform to add to field map 1').selectOption({ label: 'Upper case' });
  await page.getByRole('button', { name: 'Add transform to field map 1' }).click();
  await expect(page.getByRole('list', { name: 'Transforms of field map 1' })).toContainText('Upper case');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(canonical.locator('[data-attribute="description"]')).toHaveText(/^description[A-Z ]+$/);
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(
    page.getByRole('table', { name: 'Draft field map changes' }).locator('tr[data-change="added"]'),
  ).toContainText('timebill → description');
});
