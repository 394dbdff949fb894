import { expect, test, type Page } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

async function openRouting(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Routing rules' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Routing rules' })).toBeVisible();
}

const ruleRow = (page: Page, table: string, n: number) =>
  page.getByRole('table', { name: table }).locator(`tr[data-rule="${n}"]`);

test('an admin adds a rule, moves it up by keyboard, previews, publishes with a reason and rolls back', async ({
  page,
}) => {
  await signInAndWait(page, DEMO.admin);
  await openRouting(page);
  const inForce = page.getByRole('table', { name: 'Rules in force' });
  await expect(inForce.locator('tbody tr')).toHaveCount(12);

  await page.getByRole('button', { name: 'Edit rules' }).click();
  await page.getByRole('button', { name: 'Add rule' }).click();
  const dialog = page.getByRole('dialog', { name: /^Add rule 13/ });
  await dialog.getByLabel('Exception code').selectOption('TAX_CODE_MISSING');
  await dialog.getByLabel('Legal entity').selectOption('UK');
  await dialog.getByLabel('Team').selectOption('finance');
  await dialog.getByLabel('Priority').selectOption('urgent');
  await dialog.getByLabel('Due in (hours)').fill('4');
  // The server's check is shown next to the field, in a full sentence.
  await dialog.getByLabel('Minimum amount').fill('500');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog.getByText('Rule 13: an amount range needs its currency.')).toBeVisible();
  await dialog.getByLabel('Minimum amount').fill('');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(dialog).toBeHidden();

  const editing = 'Rules being edited';
  await expect(ruleRow(page, editing, 13)).toContainText('TAX_CODE_MISSING');
  // Up by its button, from the keyboard; then Alt+↑ on the focused row.
  await page.getByRole('button', { name: 'Move rule 13 up' }).focus();
  await page.keyboard.press('Enter');
  await expect(ruleRow(page, editing, 12)).toContainText('TAX_CODE_MISSING');
  await expect(page.getByRole('button', { name: 'Move rule 12 up' })).toBeFocused();
  await ruleRow(page, editing, 12).focus();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(ruleRow(page, editing, 11)).toContainText('TAX_CODE_MISSING');
  await expect(ruleRow(page, editing, 12)).toContainText('Project activation');

  await page.getByRole('button', { name: 'Save draft' }).click();
  const added = page.getByRole('table', { name: 'Draft changes' }).locator('tr[data-change="added"]');
  await expect(added).toContainText('TAX_CODE_MISSING · UK');
  await expect(added).toContainText('Finance');
  await expect(page.getByRole('region', { name: 'Preview' })).toContainText(/Preview against \d+ open exception/);
  await expect(ruleRow(page, 'Rules in force', 11)).not.toContainText('TAX_CODE_MISSING');

  await page.getByRole('button', { name: 'Publish…' }).click();
  const publish = page.getByRole('dialog', { name: 'Publish routing rules' });
  await publish.getByLabel('Reason').fill('UK invoices wait on missing tax codes');
  await publish.getByRole('button', { name: 'Publish' }).click();
  await expect(publish).toBeHidden();
  await expect(ruleRow(page, 'Rules in force', 11)).toContainText('TAX_CODE_MISSING');
  await expect(ruleRow(page, 'Rules in force', 11)).toContainText('Urgent');
  await expect(ruleRow(page, 'Rules in force', 11)).toContainText('4 hours');

  const history = page.getByRole('table', { name: 'Published versions' });
  const latest = history.getByRole('row').filter({ hasText: 'UK invoices wait on missing tax codes' });
  await expect(latest).toContainText('Active');
  await expect(latest).toContainText(DEMO.admin);
  await latest.getByRole('button', { name: /^Show changes/ }).click();
  await expect(
    page.getByRole('region', { name: /^Changes in version/ }).locator('tr[data-change="added"]'),
  ).toContainText('TAX_CODE_MISSING · UK');

  // Back to the defaults, so the rest of the suite places exceptions as before.
  await history
    .getByRole('row', { name: /^v1 / })
    .getByRole('button', { name: /^Roll back to this version/ })
    .click();
  const rollback = page.getByRole('dialog', { name: 'Roll back to version 1' });
  await rollback.getByLabel('Reason').fill('Back to the defaults after the check');
  await rollback.getByRole('button', { name: 'Publish' }).click();
  await expect(rollback).toBeHidden();
  await expect(ruleRow(page, 'Rules in force', 11)).toContainText('Project activation');
  await expect(history.getByRole('row').filter({ hasText: 'Back to the defaults' })).toContainText('Active');
});

test('finance sees the routing rules without edit controls, and the server refuses a publish', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await openRouting(page);
  await expect(ruleRow(page, 'Rules in force', 1)).toContainText('RETRIES_EXHAUSTED');
  await expect(page.getByRole('button', { name: /^(Edit|Publish|Move|Roll back|Add rule)/ })).toHaveCount(0);

  const statuses = await page.evaluate(async () => {
    const post = (path: string, json: unknown) =>
      fetch(`/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json }),
      }).then((res) => res.status);
    return [
      await post('routing.saveDraft', { rules: [] }),
      await post('routing.publishDraft', { reason: 'Finance would like this' }),
    ];
  });
  expect(statuses).toEqual([403, 403]);
});
