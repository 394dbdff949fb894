import { expect, test } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

test('an admin sets the finance webhook: a secret is needed first, then kept when it is switched off', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.admin);
  await page.goto('/admin');
  await page.getByRole('link', { name: 'Team webhooks' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team webhooks' })).toBeVisible();

  const finance = page.getByRole('form', { name: 'Finance team' });
  await finance.getByLabel('Webhook address').fill('https://hooks.example.com/finance');
  await finance.getByRole('button', { name: 'Save the Finance webhook' }).click();
  await expect(finance.getByRole('alert')).toHaveText('Enter a shared secret for the new webhook.');

  await finance.getByLabel('Shared secret').fill('too-short');
  await finance.getByRole('button', { name: 'Save the Finance webhook' }).click();
  await expect(finance.getByRole('alert')).toContainText('The shared secret needs at least 16 characters.');

  await finance.getByLabel('Shared secret').fill('a-long-enough-shared-secret');
  await finance.getByRole('button', { name: 'Save the Finance webhook' }).click();
  await expect(finance.getByText('On', { exact: true })).toBeVisible();
  await expect(finance.getByRole('alert')).toHaveCount(0);

  // Switched off with the secret left blank: the saved secret is kept.
  await page.reload();
  await expect(finance.getByLabel('Webhook address')).toHaveValue('https://hooks.example.com/finance');
  await expect(finance.getByLabel('Shared secret')).toHaveValue('');
  await finance.getByLabel('Send notifications to this webhook').uncheck();
  await finance.getByRole('button', { name: 'Save the Finance webhook' }).click();
  await expect(finance.getByText('Off', { exact: true })).toBeVisible();

  await page.goto('/audit?action=team_webhook.configured');
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events.getByRole('row').filter({ hasText: 'Set a team webhook' })).toHaveCount(2);
});

test('finance cannot open the team webhooks', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto('/admin/webhooks');
  await expect(page.getByRole('heading', { level: 1, name: 'Not available to your role' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Finance team' })).toHaveCount(0);
});
