import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

test.use({ timezoneId: 'Europe/Berlin' });

function stripeSandbox(): { baseUrl: string; secretKey: string } {
  const file = path.join(process.env.E2E_DATA_DIR!, 'sandbox.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { stripe: { baseUrl: string; secretKey: string } }).stripe;
}

function scheduleRow(page: Page, routine: string) {
  return page.getByRole('table', { name: 'Schedules' }).getByRole('row', { name: routine });
}

async function openConnections(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Connections & schedules' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connections & schedules' })).toBeVisible();
}

async function editSchedule(page: Page, routine: string) {
  await scheduleRow(page, routine)
    .getByRole('button', { name: `Edit schedule of ${routine}` })
    .click();
  return page.getByRole('dialog', { name: `${routine} schedule` });
}

test('an admin pauses the billing schedule, changes its cron seeing the next five runs, and resumes it', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.admin);
  await openConnections(page);
  const billing = scheduleRow(page, 'Billing eligibility');
  await expect(billing).toContainText('15 * * * *');
  await expect(billing).toContainText('Enabled');

  await billing.getByRole('button', { name: 'Pause Billing eligibility' }).click();
  await expect(billing).toContainText('Paused');
  await expect(billing).toContainText('None while paused');

  // No new run starts: Run now explains why.
  await page.goto('/runs');
  await page
    .getByRole('table', { name: 'Routine schedules' })
    .getByRole('row')
    .filter({ hasText: 'Billing eligibility' })
    .getByRole('button', { name: 'Run Billing eligibility now' })
    .click();
  await expect(page.getByText(/^No run queued: Billing eligibility is paused\./)).toBeVisible();

  await openConnections(page);
  let dialog = await editSchedule(page, 'Billing eligibility');
  const cron = dialog.getByLabel(/^Cron/);
  await cron.fill('*/30 * * *');
  await expect(
    dialog.getByText('"*/30 * * *" is not a 5-field cron expression (minute hour day month weekday).'),
  ).toBeVisible();
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog.getByText('is not a 5-field cron expression', { exact: false })).toBeVisible();

  await cron.fill('*/30 * * * *');
  const upcoming = dialog.getByRole('region', { name: 'Next five runs' });
  await expect(upcoming).toContainText('your time zone: Europe/Berlin');
  await expect(upcoming.getByRole('listitem')).toHaveCount(5);
  // Berlin is an hour or two ahead of UTC: each run shows its local time and zone.
  await expect(upcoming.getByRole('listitem').first()).toContainText(/:(00|30) (CET|CEST|GMT\+1|GMT\+2)/);
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog).toBeHidden();
  await expect(billing).toContainText('*/30 * * * *');
  await expect(billing).toContainText('Paused');

  await billing.getByRole('button', { name: 'Resume Billing eligibility' }).click();
  await expect(billing).toContainText('Enabled');
  await expect(billing.getByRole('listitem')).toHaveCount(5);

  // Back to the seeded schedule for the specs that follow.
  dialog = await editSchedule(page, 'Billing eligibility');
  await dialog.getByLabel(/^Cron/).fill('15 * * * *');
  await dialog.getByRole('button', { name: 'Save schedule' }).click();
  await expect(dialog).toBeHidden();
  await expect(billing).toContainText('Hourly at :15');

  await page.goto('/audit');
  await expect(page.getByRole('cell', { name: 'Paused a schedule' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Resumed a schedule' }).first()).toBeVisible();
});

test('an admin rotates the Stripe credentials after rolling the key; Test connection succeeds and the old key is refused', async ({
  page,
  request,
}) => {
  const stripe = stripeSandbox();
  const oldKey = stripe.secretKey;
  // As in Stripe's dashboard: roll the key first; the connection still holds the old one.
  const rolled = await request.post(`${stripe.baseUrl}/__sandbox/keys/roll`);
  const { secretKey: newKey } = (await rolled.json()) as { secretKey: string };

  await signInAndWait(page, DEMO.admin);
  await openConnections(page);
  const row = page.getByRole('table', { name: 'Connections' }).getByRole('row', { name: 'Stripe (sandbox)' });
  await row.getByRole('button', { name: 'Test connection Stripe (sandbox)' }).click();
  await expect(row.getByRole('status')).toContainText('Stripe refused the key (401 api_key_expired)');

  await row.getByRole('button', { name: 'Rotate credentials of Stripe (sandbox)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate credentials of Stripe (sandbox)' });
  await dialog.getByRole('button', { name: 'Replace credentials' }).click();
  await expect(dialog.getByText('Enter the new secret key.')).toBeVisible();
  await dialog.getByLabel('New secret key').fill(newKey);
  await dialog.getByRole('button', { name: 'Replace credentials' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText(`sk_…${newKey.slice(-4)}`);

  await row.getByRole('button', { name: 'Test connection Stripe (sandbox)' }).click();
  await expect(row.getByRole('status')).toHaveText(/^Connected: Stripe answered in \d+ ms\.$/);
  await expect(row).toContainText('Last successful call');

  // The old key no longer works at Stripe itself.
  const old = await request.get(`${stripe.baseUrl}/v1/customers?limit=1`, {
    headers: { authorization: `Bearer ${oldKey}` },
  });
  expect(old.status()).toBe(401);
  expect(((await old.json()) as { error: { code: string } }).error.code).toBe('api_key_expired');

  // Nothing of either key but the mask reaches the page.
  const html = await page.content();
  for (const key of [oldKey, newKey]) expect(html).not.toContain(key.slice(8, -4));
});

test('finance sees connection health without edit controls, and the server refuses a change', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await openConnections(page);
  const connections = page.getByRole('table', { name: 'Connections' });
  await expect(connections.getByRole('row', { name: 'Stripe (sandbox)' })).toContainText('Last successful call');
  await expect(connections.getByRole('row', { name: 'NetSuite (sandbox)' })).toContainText('Rate-limit headroom');
  await expect(page.getByRole('button', { name: /^Test connection/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Rotate credentials/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Pause|Resume|Edit)/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'New connection' })).toHaveCount(0);

  // Called directly, as a crafted request would: refused, and nothing changes.
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/trpc/schedules.update', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { routine: 'billing_eligibility', cron: '0 0 1 1 *', batchSize: 100, enabled: false },
      }),
    });
    return { status: res.status, body: await res.text() };
  });
  expect(refused.status).toBe(403);
  await page.reload();
  await expect(scheduleRow(page, 'Billing eligibility')).toContainText('15 * * * *');
  await expect(scheduleRow(page, 'Billing eligibility')).toContainText('Enabled');
});
