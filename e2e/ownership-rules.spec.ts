import { expect, test, type Page } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

async function openOwnership(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Data ownership' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Data ownership' })).toBeVisible();
}

const matrixRow = (page: Page, rule: string) =>
  page.getByRole('table', { name: 'Ownership matrix' }).locator(`tr[data-rule="${rule}"]`);

/** Edits Project.budget's system of record, saves the draft, and publishes it with `reason`. */
async function moveBudget(page: Page, owner: string, reason: string) {
  await page.getByRole('button', { name: /^Edit (rules|draft)$/ }).click();
  await page.getByLabel('System of record for Project.budget').selectOption({ label: owner });
  await page.getByRole('button', { name: 'Save draft' }).click();
  const draft = page.getByRole('table', { name: 'Draft changes' });
  await expect(draft.getByRole('row').filter({ hasText: 'Project.budget' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Impact per routine' }).getByRole('row')).toHaveCount(5);
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish ownership rules' });
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog.getByText('Say why you publish this (at least 5 characters).')).toBeVisible();
  await dialog.getByLabel('Reason').fill(reason);
  await dialog.getByRole('button', { name: 'Publish' }).click();
  await expect(dialog).toBeHidden();
}

test('an admin moves the project budget from the CRM to the ERP: diff, impact, reason, matrix and history', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.admin);
  await openOwnership(page);
  await expect(matrixRow(page, 'Project.*')).toContainText('ERP (NetSuite)');

  await moveBudget(page, 'CRM (Salesforce)', 'Budgets are sold with the deal');
  await expect(matrixRow(page, 'Project.budget')).toContainText('CRM (Salesforce)');
  await expect(matrixRow(page, 'Project.budget')).toContainText('Override');

  // The move itself: the diff reads CRM → ERP before it is published.
  await page.getByRole('button', { name: 'Edit rules' }).click();
  await page.getByLabel('System of record for Project.budget').selectOption({ label: 'ERP (NetSuite)' });
  await page.getByRole('button', { name: 'Save draft' }).click();
  const change = page
    .getByRole('table', { name: 'Draft changes' })
    .getByRole('row')
    .filter({ hasText: 'Project.budget' });
  await expect(change).toContainText('Changed');
  await expect(change).toContainText('CRM (Salesforce) → ERP (NetSuite)');
  await expect(page.getByRole('region', { name: 'Impact preview' })).toContainText('Billing eligibility');
  await moveBudget(page, 'ERP (NetSuite)', 'Finance plans project budgets in the ERP');
  await expect(matrixRow(page, 'Project.budget')).toContainText('ERP (NetSuite)');

  const history = page.getByRole('table', { name: 'Published versions' });
  await expect(history).toContainText('Budgets are sold with the deal');
  await expect(history).toContainText('Finance plans project budgets in the ERP');
  const latest = history.getByRole('row').filter({ hasText: 'Finance plans project budgets in the ERP' });
  await expect(latest).toContainText('Active');
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
