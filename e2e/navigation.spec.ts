import { expect, test } from '@playwright/test';
import { DEMO, mainNav, signInAndWait } from './support';

const EXPECTED: Record<keyof typeof DEMO, string[]> = {
  admin: ['Dashboards', 'Exceptions', 'Sync runs', 'Record trace', 'Audit log', 'Admin'],
  finance: ['Dashboards', 'Exceptions', 'Sync runs', 'Record trace', 'Admin'],
  operations: ['Dashboards', 'Exceptions', 'Sync runs', 'Record trace', 'Admin'],
  auditor: ['Dashboards', 'Exceptions', 'Sync runs', 'Record trace', 'Audit log', 'Admin'],
};

for (const role of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
  test(`${role} sees exactly the sections of the role`, async ({ page }) => {
    await signInAndWait(page, DEMO[role]);
    await expect(mainNav(page)).toHaveText(EXPECTED[role]);
    // Every link leads somewhere real.
    for (const label of EXPECTED[role]) {
      await mainNav(page).getByText(label, { exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText('Page not found')).toHaveCount(0);
    }
  });
}

test('a role without the audit log is turned away from it', async ({ page }) => {
  await signInAndWait(page, DEMO.finance);
  await page.goto('/audit');
  await expect(page.getByRole('heading', { name: 'Not available to your role' })).toBeVisible();
});

test('an auditor reads users but cannot change them', async ({ page }) => {
  await signInAndWait(page, DEMO.auditor);
  await page.goto('/admin/users');
  await expect(page.getByRole('table', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New user' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Disable / })).toHaveCount(0);
});

test('signing out ends the session', async ({ page }) => {
  await signInAndWait(page, DEMO.operations);
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/dashboards');
  await expect(page).toHaveURL(/\/signin/);
});
