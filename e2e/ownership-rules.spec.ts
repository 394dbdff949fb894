import { expect, test, type Page } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

async function openOwnership(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Ownership rules' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Ownership rules' })).toBeVisible();
}

const matrixRow = (page: Page, rule: string) =>
  page.getByRole('table', { name: 'Ownership matrix' }).locator(`tr[data-rule="${rule}"]`);

test('an admin moves the project budget from the CRM to the ERP: diff, impact, reason, matrix and history', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.admin);
  await openOwnership(page);
  await expect(matrixRow(page, 'Project.*')).toContainText('ERP (NetSuite)');
  await expect(matrixRow(page, 'Project.budget')).toContainText('CRM (Salesforce)');
  await expect(matrixRow(page, 'Project.budget')).toContainText('Override');

  await page.getByRole('button', { name: 'Edit rules' }).click();
  await page.getByLabel('System of record for Project.budget').selectOption({ label: 'ERP (NetSuite)' });
  await page.getByLabel('Note for Project.budget').fill('Finance plans budgets');
  await page.getByRole('button', { name: 'Save draft' }).click();
  const change = page
    .getByRole('table', { name: 'Draft changes' })
    .getByRole('row')
    .filter({ hasText: 'Project.budget' });
  await expect(change).toContainText('Changed');
  await expect(change).toContainText('CRM (Salesforce) → ERP (NetSuite)');
  const impact = page.getByRole('table', { name: 'Impact per routine' });
  await expect(impact.getByRole('row')).toHaveCount(5);
  await expect(impact).toContainText('Change orders');
  // Not yet in force.
  await expect(matrixRow(page, 'Project.budget')).toContainText('CRM (Salesforce)');

  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish ownership rules' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog.getByText('Say why you publish this (at least 5 characters).')).toBeVisible();
  await dialog.getByLabel('Reason').fill('Finance plans project budgets in the ERP');
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();
  await expect(matrixRow(page, 'Project.budget')).toContainText('ERP (NetSuite)');
  await expect(matrixRow(page, 'Project.budget')).toContainText('Finance plans budgets');
  await expect(page.getByRole('heading', { name: 'Draft, not yet in force' })).toHaveCount(0);

  const history = page.getByRole('table', { name: 'Published versions' });
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history).toContainText('Defaults: CRM owns the deal');
  const latest = history.getByRole('row').filter({ hasText: 'Finance plans project budgets in the ERP' });
  await expect(latest).toContainText('Active');
  await expect(latest).toContainText('admin@syncwright.example');
  await latest.getByRole('button', { name: /^Show changes/ }).click();
  await expect(
    page
      .getByRole('region', { name: /^Changes in version/ })
      .getByRole('row')
      .filter({ hasText: 'Project.budget' }),
  ).toContainText('CRM (Salesforce) → ERP (NetSuite)');
});

test('finance sees the ownership matrix without edit controls, and the server refuses a change', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await openOwnership(page);
  await expect(matrixRow(page, 'Invoice.status')).toContainText('Billing (Stripe)');
  await expect(page.getByRole('button', { name: /^Edit/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Publish/ })).toHaveCount(0);
  await expect(page.getByRole('combobox')).toHaveCount(0);

  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/trpc/ownership.saveDraft', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        json: { rules: [{ objectType: 'Project', attribute: '*', owner: 'salesforce', team: 'operations' }] },
      }),
    });
    return res.status;
  });
  expect(refused).toBe(403);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Draft, not yet in force' })).toHaveCount(0);
});
