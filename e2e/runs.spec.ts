import { expect, test, type Page } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

function scheduleRow(page: Page, routine: string) {
  return page.getByRole('table', { name: 'Routine schedules' }).getByRole('row').filter({ hasText: routine });
}

test('operations sees the schedules, runs a routine now, the run shows up, and the audit log says who asked', async ({
  page,
  browser,
}) => {
  await signInAndWait(page, DEMO.operations);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Sync runs' })).toBeVisible();

  // The seeded schedules, in words, with their next fire times.
  await expect(scheduleRow(page, 'Project activation')).toContainText('Every 5 minutes');
  await expect(scheduleRow(page, 'Billing eligibility')).toContainText('Hourly at :15');
  await expect(scheduleRow(page, 'Invoice status')).toContainText('Every 10 minutes');
  await expect(scheduleRow(page, 'Change orders')).toContainText('Every 15 minutes');
  await expect(scheduleRow(page, 'Project activation')).toContainText('*/5 * * * *');
  await expect(scheduleRow(page, 'Project activation')).toContainText('Enabled');

  await scheduleRow(page, 'Project activation').getByRole('button', { name: 'Run Project activation now' }).click();
  await expect(page.getByText(/^Project activation: \d+ runs? queued \(.+\)\.$/)).toBeVisible();

  // A worker picks the run up; the list refreshes until it appears (the latest run of its routine and entity).
  const runs = page.getByRole('table', { name: 'Sync runs' });
  await expect(
    runs.getByRole('row').filter({ hasText: 'Project activation' }).filter({ hasText: 'Manual' }).first(),
  ).toBeVisible({
    timeout: 45_000,
  });

  // Filters live in the URL.
  await page.getByLabel('Trigger', { exact: true }).selectOption('manual');
  await expect(page).toHaveURL(/trigger=manual/);
  await page.getByLabel('Routine', { exact: true }).selectOption('invoice_status');
  await expect(page.getByText('No runs match these filters.')).toBeVisible();

  // Operations cannot read the audit log; an admin sees the request there, with who made it.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto('/audit?action=sync.run_requested');
  const requested = admin
    .getByRole('table', { name: 'Audit events' })
    .getByRole('row')
    .filter({ hasText: 'Started a run' });
  await expect(requested.first()).toContainText(DEMO.operations);
  await expect(requested.first()).toContainText('project_activation');
  await adminContext.close();
});

test('an auditor sees the schedules and runs but cannot start one', async ({ page }) => {
  await signInAndWait(page, DEMO.auditor);
  await page.goto('/runs');
  await expect(page.getByRole('heading', { level: 1, name: 'Sync runs' })).toBeVisible();
  await expect(scheduleRow(page, 'Project activation')).toContainText('Every 5 minutes');
  await expect(page.getByRole('button', { name: /^Run .* now$/ })).toHaveCount(0);
});
