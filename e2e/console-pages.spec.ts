import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { DEMO, demoPassword, signIn, signInAndWait, signInMessage } from './support';

const SECTIONS = ['/dashboards', '/exceptions', '/runs', '/audit', '/admin/users'];

test('a billing run that held exceptions says so, and its count and detail lead to exactly those exceptions', async ({
  page,
}, testInfo) => {
  // A billing run reads every approved entry of an entity: on a busy machine that takes a while.
  test.setTimeout(240_000);
  await signInAndWait(page, DEMO.admin);
  await page.goto('/runs');
  await page.getByRole('button', { name: 'Run Billing eligibility now' }).click();
  const held = page
    .getByRole('table', { name: 'Sync runs' })
    .getByRole('row')
    .filter({ hasText: 'Billing eligibility' })
    .filter({ hasText: 'Completed with exceptions' })
    .first();
  await expect(held).toBeVisible({ timeout: 180_000 });
  await expect(held).not.toContainText('Succeeded');

  const detail = held.getByRole('link', { name: 'Billing eligibility', exact: true });
  const runId = (await detail.getAttribute('href'))!.split('/').at(-1)!;
  await expect(held.getByRole('link', { name: /exceptions of this Billing eligibility run/ })).toHaveAttribute(
    'href',
    `/exceptions?run=${runId}`,
  );
  await keepScreenshot(page, testInfo, 'runs-page');

  await detail.click();
  await expect(page).toHaveURL(`/runs/${runId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Billing eligibility run' })).toBeVisible();
  await expect(page.getByText('Completed with exceptions')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Ledger outcomes' })).toContainText('Held as exception');
  await expect(page.getByRole('link', { name: /exceptions? of this run/ })).toHaveAttribute(
    'href',
    `/exceptions?run=${runId}`,
  );
});

test('"Lag" is explained on the runs page, and every "Run now" is named by its routine', async ({ page }) => {
  await signInAndWait(page, DEMO.operations);
  await page.goto('/runs');
  await expect(page.getByRole('columnheader', { name: /Lag/ })).toContainText('how far behind the source');
  for (const routine of ['Project activation', 'Billing eligibility', 'Invoice status', 'Change orders']) {
    await expect(page.getByRole('button', { name: `Run ${routine} now` })).toHaveCount(1);
  }
  await expect(page.getByRole('button', { name: 'All runs' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: 'All runs' }).click();
  await expect(page).toHaveURL(/view=all/);
});

test('a filter value the page does not know is reset with a short notice, not a validation error', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto('/runs?status=exploded&routine=billing_eligibility');
  await expect(page.getByRole('status').filter({ hasText: 'status “exploded”' })).toContainText(
    'that filter was reset',
  );
  await expect(page.getByText(/Invalid option/)).toHaveCount(0);
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Routine', { exact: true })).toHaveValue('billing_eligibility');
});

test('a malformed date or unknown source in an audit link is reset with a notice, and the log still opens', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.auditor);
  await page.goto('/audit?from=yesterday&source=robots');
  await expect(page.getByRole('status').filter({ hasText: 'from date “yesterday”' })).toContainText(
    'that filter was reset',
  );
  await expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible();
  await expect(page.getByText(/Invalid/)).toHaveCount(0);
});

test('a signed-out visit to a deep link comes back to it after sign-in', async ({ page }) => {
  await page.goto('/runs?routine=billing_eligibility');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await signInFromHere(page, DEMO.finance);
  await expect(page).toHaveURL(/\/runs\?routine=billing_eligibility$/);
  await expect(page.getByLabel('Routine', { exact: true })).toHaveValue('billing_eligibility');
});

test('after a wrong password, focus is back in the password field', async ({ page }) => {
  await signIn(page, DEMO.finance, 'not-the-password');
  await expect(signInMessage(page)).toBeVisible();
  await expect(page.getByLabel('Password')).toBeFocused();
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('a page the role does not include says who may open it, inside the console, at its own address', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto('/audit?action=user.created');
  await expect(page).toHaveURL(/\/audit\?action=user\.created$/);
  await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
  await expect(page.getByText('Audit log is open to the Admin and Auditor roles')).toBeVisible();
  await expect(page.getByText('you are signed in as Finance')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync runs' })).toBeVisible();
});

test('the console has a favicon', async ({ page, request }) => {
  await page.goto('/signin');
  const href = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
});

test.describe('on a 390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('every section is reachable from the menu, no page scrolls sideways, and sign-out is at hand', async ({
    page,
  }) => {
    await signInAndWait(page, DEMO.admin);
    for (const [label, path] of [
      ['Exceptions', '/exceptions'],
      ['Sync runs', '/runs'],
      ['Audit log', '/audit'],
      ['Admin', '/admin'],
      ['Dashboards', '/dashboards'],
    ] as const) {
      await page.getByRole('button', { name: 'Open menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label }).click();
      await expect(page).toHaveURL(new RegExp(`${path}$`));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // Wide tables scroll inside their card; the page itself never scrolls sideways.
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} is wider than the phone`).toBe(
        390,
      );
    }
    await page.getByRole('button', { name: /Account menu/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin/);
  });
});

test('in a browser set to another time zone, no page logs a console error', async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: 'America/New_York' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await signInAndWait(page, DEMO.admin);
  for (const path of SECTIONS) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Let hydration and the first queries finish.
    await page.waitForLoadState('networkidle');
  }
  await page.goto('/runs');
  await expect(page.getByText('Times are in your time zone, America/New_York.').first()).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('the audit log shows what people did by default, the sync writes one click away', async ({ page }, testInfo) => {
  await signInAndWait(page, DEMO.admin);
  await page.goto('/audit');
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events).toContainText('Signed in');
  await expect(events).not.toContainText('system:sync');
  await keepScreenshot(page, testInfo, 'audit-log');
  await page.getByRole('button', { name: 'Sync writes' }).click();
  await expect(page).toHaveURL(/source=system/);
  await expect(page.getByRole('button', { name: 'Sync writes' })).toHaveAttribute('aria-pressed', 'true');
});

async function signInFromHere(page: Page, email: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(demoPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A full-page screenshot kept under test-results/ (passing tests included) and attached to the report. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ fullPage: true, path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
