import { expect, test, type Browser, type Page } from '@playwright/test';
import { withConsoleDatabase } from './database';
import { DEMO, signInAndWait } from './support';

/** Open finance exceptions the billing run raised, unassigned, oldest first. */
async function openFinanceExceptions(): Promise<string[]> {
  return withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `SELECT id::text FROM "SyncException"
        WHERE team = 'finance' AND routine = 'billing_eligibility' AND status = 'open' AND "assigneeId" IS NULL
        ORDER BY "firstSeenAt", id`,
    );
    return rows.map((r) => r.id);
  });
}

/** A tRPC mutation sent from the signed-in page itself, as a tampered client would send it. */
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

let exceptions: string[] = [];

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  // The seeded firm holds invoices billing refuses: one billing run raises them as finance exceptions.
  const page = await browser.newPage();
  await signInAndWait(page, DEMO.finance);
  await page.goto('/runs');
  await page
    .getByRole('table', { name: 'Routine schedules' })
    .getByRole('row')
    .filter({ hasText: 'Billing eligibility' })
    .getByRole('button', { name: 'Run Billing eligibility now' })
    .click();
  await expect(page.getByText(/^Billing eligibility: \d+ runs? queued/)).toBeVisible();
  await expect
    .poll(async () => (exceptions = await openFinanceExceptions()).length, { timeout: 150_000, intervals: [2_000] })
    .toBeGreaterThanOrEqual(4);
  await page.close();
});

test('finance opens a billing exception, assigns it to themselves and resolves it with a note', async ({ page }) => {
  const id = exceptions[0]!;
  await signInAndWait(page, DEMO.finance);
  await page.goto(`/exceptions/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
  await expect(page.getByText('Owned by Finance')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Record snapshot' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Raised by the sync');

  // The shortcut list, then "a": assign to me.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Assign to me');
  await expect(help).toContainText('Dry-run the replay');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.keyboard.press('a');
  await expect(page.getByLabel('Assignee')).toHaveValue(/[0-9a-f-]{36}/);
  await expect(page.getByRole('list', { name: 'History' })).toContainText(`Assigned to ${DEMO.finance}`);
  await expect(page.getByRole('button', { name: 'Assign to me' })).toHaveCount(0);

  // Resolve needs a note.
  await page.getByRole('button', { name: 'Resolve…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Resolve this exception' });
  await dialog.getByRole('button', { name: 'Resolve' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Resolution note is required.');
  await dialog.getByLabel('Resolution note').fill('Credited by hand in billing; nothing to replay.');
  await dialog.getByRole('button', { name: 'Resolve' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Resolved', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' })).toContainText(
    'Credited by hand in billing; nothing to replay.',
  );
  await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();

  // A replay of the resolved exception is refused by the server with a clear message.
  const replay = await callMutation(page, 'exception.replay', { id });
  expect(replay.status).toBe(409);
  expect(replay.body).toContain('already resolved');

  await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ action: string; actorEmail: string }>(
      `SELECT action, "actorEmail" FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual(['exception.assigned', 'exception.resolved', 'exception.replay_refused']);
    expect(new Set(rows.map((r) => r.actorEmail))).toEqual(new Set([DEMO.finance]));
  });
});

test('operations cannot assign or replay a billing exception: no buttons, and the server refuses the call', async ({
  page,
}) => {
  const id = exceptions[1]!;
  await signInAndWait(page, DEMO.operations);
  await page.goto(`/exceptions/${id}`);
  await expect(page.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
  await expect(page.getByText('acting on it is for the Finance team')).toBeVisible();
  for (const name of ['Assign to me', 'Dry run', 'Replay', 'Resolve…', 'Start']) {
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  // The shortcut does nothing either.
  await page.keyboard.press('a');

  for (const [path, input] of [
    ['exception.assign', { id, assigneeId: null }],
    ['exception.replay', { id }],
    ['exception.dryRun', { id }],
  ] as const) {
    const refused = await callMutation(page, path, input);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('belongs to the Finance team');
  }
  await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ status: string; assigneeId: string | null }>(
      `SELECT status, "assigneeId" FROM "SyncException" WHERE id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({ status: 'open', assigneeId: null });
  });
});

test('an auditor sees the exception and can change nothing', async ({ page }) => {
  const id = exceptions[2]!;
  await signInAndWait(page, DEMO.auditor);
  await page.goto(`/exceptions/${id}`);
  await expect(page.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' })).toContainText('Raised by the sync');
  await expect(page.getByRole('button', { name: /Assign|Resolve|Ignore|Replay|Dry run|Start/ })).toHaveCount(0);
  await expect(page.getByLabel('Comment')).toHaveCount(0);
  const refused = await callMutation(page, 'exception.comment', { id, body: 'looks fine' });
  expect(refused.status).toBe(403);
});

test('an exception an admin assigns to finance rings finance’s bell, which leads to it', async ({ page, browser }) => {
  const id = exceptions[3]!;
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto(`/exceptions/${id}`);
  await admin.getByRole('button', { name: 'Dry run' }).click();
  await expect(admin.getByRole('region', { name: 'Dry-run plan' })).toContainText('nothing was written');
  await admin.getByLabel('Assignee').selectOption({ label: DEMO.finance });
  await expect(admin.getByRole('list', { name: 'History' })).toContainText(`Assigned to ${DEMO.finance}`);
  await adminContext.close();

  await signInAndWait(page, DEMO.finance);
  const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  await page
    .getByRole('menuitem', { name: /assigned to you/ })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/exceptions/${id}$`));
  await expect(page.getByText(`Assignee`).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Notifications', exact: true })).toBeVisible();
});

test('from the queue, j and k step through its exceptions on the detail page, and the breadcrumb leads back to the same filter', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto('/exceptions?team=finance&routine=billing_eligibility&sort=age');
  // Each row's code opens its exception (other links in a row lead to the record trace).
  const links = page.getByRole('table', { name: 'Exceptions' }).locator('a[href^="/exceptions/"]');
  await expect(links.nth(2)).toBeVisible();
  const hrefs = await Promise.all([0, 1, 2].map(async (i) => links.nth(i).getAttribute('href')));

  await links.nth(0).click();
  await expect(page).toHaveURL(hrefs[0]!);
  const queue = page.getByRole('navigation', { name: 'Queue' });
  await expect(queue).toContainText(/^1 of \d+ in the queue/);
  await page.keyboard.press('j');
  await expect(page).toHaveURL(hrefs[1]!);
  await expect(queue).toContainText(/^2 of \d+ in the queue/);
  await queue.getByRole('link', { name: 'Next' }).click();
  await expect(page).toHaveURL(hrefs[2]!);
  await page.keyboard.press('k');
  await expect(page).toHaveURL(hrefs[1]!);

  await page.keyboard.press('?');
  await expect(page.getByRole('table', { name: 'Keyboard shortcuts' })).toContainText('Next exception in the queue');
  await page.keyboard.press('Escape');
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Exceptions' }).click();
  await expect(page).toHaveURL(/\/exceptions\?team=finance&routine=billing_eligibility&sort=age$/);
});

test('an unknown exception id shows a clear not-found page', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  const response = await page.goto('/exceptions/00000000-0000-4000-8000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No exception has this id' })).toBeVisible();
  await page.goto('/exceptions/not-an-id');
  await expect(page.getByRole('heading', { name: 'No exception has this id' })).toBeVisible();
});

/** An admin maps one UK customer to the entity's default tax code and publishes it, through the mappings API. */
async function publishCustomerTaxCode(browser: Browser, customer: string) {
  const admin = await browser.newPage();
  await signInAndWait(admin, DEMO.admin);
  const connectionId = await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT id::text FROM "Connection" WHERE system = 'stripe'`);
    return rows[0]!.id;
  });
  const scope = { connectionId, legalEntityId: 'UK' };
  const overview = await admin.evaluate(async (scope) => {
    const input = encodeURIComponent(JSON.stringify({ json: { scope } }));
    const response = await fetch(`/api/trpc/mappings.overview?input=${input}`);
    return (
      (await response.json()) as { result: { data: { json: { active: ValueMap[]; activeFieldMaps: unknown[] } } } }
    ).result.data.json;
  }, scope);
  const fallback = overview.active.find((m) => m.kind === 'tax_code' && m.sourceValue === 'default')!;
  const mappings = [...overview.active, { ...fallback, sourceValue: `customer:${customer}` }];
  const fieldMaps = overview.activeFieldMaps;
  expect((await callMutation(admin, 'mappings.saveDraft', { scope, mappings, fieldMaps })).status).toBe(200);
  const reason = 'The customer is billed at the UK default tax code';
  expect((await callMutation(admin, 'mappings.publishDraft', { scope, reason })).status).toBe(200);
  await admin.close();
}

type ValueMap = { kind: string; sourceValue: string; targetValue: string };

/** Stripe invoice items the sandbox holds for one NetSuite record. */
async function invoiceItemsFor(netsuiteId: string): Promise<number> {
  return withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sandbox_stripe.invoice_items WHERE doc->'metadata'->>'netsuite_id' = $1`,
      [netsuiteId],
    );
    return rows[0]!.n;
  });
}

test('finance finds an unassigned missing tax code in the UK, takes it, and once the mapping is fixed replays it into exactly one invoice item', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await signInAndWait(page, DEMO.finance);
  await page.goto('/exceptions');
  const filters = page.getByRole('form', { name: 'Filters' });
  await filters.getByLabel('Status').selectOption('open');
  await filters.getByLabel('Assignee').selectOption('unassigned');
  await filters.getByLabel('Code').selectOption('TAX_CODE_MISSING');
  await filters.getByLabel('Legal entity').selectOption('UK');
  await expect(page).toHaveURL(/code=TAX_CODE_MISSING/);
  await expect(page).toHaveURL(/entity=UK/);
  await expect(page).toHaveURL(/assignee=unassigned/);
  const rows = page.getByRole('table', { name: 'Exceptions' }).locator('tbody tr');
  await expect(rows.first()).toContainText('TAX_CODE_MISSING');
  for (const row of await rows.all()) await expect(row).toContainText('UK');

  await rows.first().getByRole('link', { name: 'TAX_CODE_MISSING' }).click();
  await expect(page).toHaveURL(/\/exceptions\/[0-9a-f-]{36}/);
  const id = page.url().split('/exceptions/')[1]!.split('?')[0]!;
  await expect(page.getByRole('heading', { name: 'What went wrong' })).toBeVisible();
  await page.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.getByRole('list', { name: 'History' })).toContainText(`Assigned to ${DEMO.finance}`);
  await expect(page.getByRole('link', { name: 'Fix it in Admin → Mappings' })).toHaveAttribute(
    'href',
    '/admin/mappings',
  );

  // The fix an admin makes: a tax code for this customer in the UK, published as the mappings screen does.
  const { timeBill: netsuiteId, customer } = await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ timeBill: string; customer: string }>(
      `SELECT r.value->>'externalId' AS "timeBill", j.parent::text AS customer
         FROM "SyncException" e, jsonb_array_elements(e."externalIds") r,
              sandbox_netsuite.timebill t JOIN sandbox_netsuite.job j ON j.id = t.customer
        WHERE e.id = $1 AND r.value->>'system' = 'netsuite' AND t.id = (r.value->>'externalId')::bigint`,
      [id],
    );
    return rows[0]!;
  });
  await publishCustomerTaxCode(browser, customer);
  expect(await invoiceItemsFor(netsuiteId)).toBe(0);

  await page.reload();
  await page.getByRole('button', { name: 'Dry run' }).click();
  const plan = page.getByRole('region', { name: 'Dry-run plan' });
  await expect(plan).toContainText('would go through');
  await expect(plan.getByRole('list', { name: 'Plan summary' })).toContainText('create 1 invoice item');
  await expect(plan).toContainText('Idempotency key:');

  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /delivered|went through/i })).toBeVisible();
  await expect(page.getByText('Resolved', { exact: true }).first()).toBeVisible();
  expect(await invoiceItemsFor(netsuiteId)).toBe(1);

  // Replaying again writes nothing: refused while resolved, and a no-op once reopened.
  const again = await callMutation(page, 'exception.replay', { id });
  expect(again.status).toBe(409);
  await page.getByRole('button', { name: 'Reopen' }).click();
  await page.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: /every write had been made before/ })).toBeVisible();
  expect(await invoiceItemsFor(netsuiteId)).toBe(1);

  // The audit log, as an auditor reads it, holds each step.
  await page.context().clearCookies();
  await signInAndWait(page, DEMO.auditor);
  await page.goto(`/audit?targetType=SyncException&targetId=${id}`);
  const events = page.getByRole('table', { name: 'Audit events' });
  for (const words of ['Assigned an exception', 'Replayed an exception', 'Reopened an exception']) {
    await expect(events).toContainText(words);
  }
  await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ action: string }>(
      `SELECT action FROM "AuditEvent" WHERE "targetId" = $1 ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'exception.assigned',
      'exception.replayed',
      'exception.replay_refused',
      'exception.reopened',
      'exception.replayed',
    ]);
  });
});
