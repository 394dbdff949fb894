import { expect, test, type Page } from '@playwright/test';
import { DEMO, mainNav, signIn, signInAndWait, signInMessage } from './support';

/** An admin, on the users page, creates a user through the New user dialog. */
async function createUser(admin: Page, user: { name: string; email: string; role: string; password: string }) {
  await admin.getByRole('button', { name: 'New user' }).click();
  const dialog = admin.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Full name').fill(user.name);
  await dialog.getByLabel('Email').fill(user.email);
  await dialog.getByLabel('Role').selectOption(user.role);
  await dialog.getByLabel('Initial password').fill(user.password);
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog).toBeHidden();
}

test('an admin creates a finance user, who signs in; disabling them signs them out on their next request', async ({
  browser,
}) => {
  const email = `e2e-${Date.now()}@syncwright.example`;
  const password = 'a-strong-initial-password';

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto('/admin/users');
  await createUser(admin, { name: 'Jordan Finance', email, role: 'finance', password });
  const row = admin.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Active');

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signInAndWait(user, email, password);
  await expect(mainNav(user)).toHaveText(['Dashboards', 'Exceptions', 'Sync runs', 'Record trace', 'Admin']);

  await row.getByRole('button', { name: `Disable ${email}` }).click();
  const confirm = admin.getByRole('dialog', { name: 'Disable Jordan Finance?' });
  await expect(confirm).toContainText(email);
  await confirm.getByRole('button', { name: 'Disable Jordan Finance' }).click();
  await expect(row).toContainText('Disabled');

  await user.reload();
  await expect(user).toHaveURL(/\/signin\?reason=signed_out/);
  await expect(user.getByText('Your session has ended')).toBeVisible();
  await signIn(user, email, password);
  await expect(signInMessage(user)).toHaveText('Email or password is incorrect.');

  // The audit log shows each of these actions, and the chain verifies.
  await admin.goto(`/audit?targetId=`);
  await admin.getByLabel('Actor').fill(email);
  const events = admin.getByRole('table', { name: 'Audit events' });
  await expect(events).toContainText('Signed in');
  await expect(events).toContainText('Failed to sign in');
  await admin.getByLabel('Actor').fill(DEMO.admin);
  await expect(events).toContainText('Created a user');
  await expect(events).toContainText('Disabled a user');
  // The target is named, not shown as an id.
  await expect(events.getByRole('row').filter({ hasText: 'Disabled a user' }).first()).toContainText(email);
  await admin.getByRole('button', { name: 'Verify chain' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'Chain intact' })).toBeVisible();

  await adminContext.close();
  await userContext.close();
});

test('a role change applies on the next request, and the audit diff shows it', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto('/admin/users');
  const email = `role-${Date.now()}@syncwright.example`;
  await createUser(admin, { name: 'Role Change', email, role: 'operations', password: 'another-strong-password' });

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signInAndWait(user, email, 'another-strong-password');
  await expect(mainNav(user)).not.toContainText(['Audit log']);

  await admin.getByLabel(`Role of ${email}`).selectOption('auditor');
  // Nothing changes until the admin confirms, in a dialog naming the user and the change.
  const confirm = admin.getByRole('dialog', { name: 'Change the role of Role Change?' });
  await expect(confirm).toContainText(`${email} will change from Operations to Auditor`);
  await confirm.getByRole('button', { name: 'Make Role Change Auditor' }).click();
  await expect(admin.getByText('Role changed')).toBeVisible();
  await user.reload();
  await expect(mainNav(user)).toContainText(['Audit log']);

  await admin.goto(`/audit?action=user.role_changed`);
  await admin
    .getByRole('button', { name: /Show details of event/ })
    .first()
    .click();
  const changes = admin.getByRole('table', { name: 'Changes' });
  const roleRow = changes.getByRole('row', { name: /^role \(changed\)/ });
  await expect(roleRow).toContainText('operations');
  await expect(roleRow).toContainText('auditor');

  // The filters live in the URL: a reload keeps them.
  await admin.reload();
  await expect(admin.getByLabel('Action', { exact: true })).toHaveValue('user.role_changed');
  await adminContext.close();
  await userContext.close();
});

test('an admin cannot change their own role or disable themselves', async ({ page }) => {
  await signInAndWait(page, DEMO.admin);
  await page.goto('/admin/users');
  await expect(page.getByLabel(`Role of ${DEMO.admin}`)).toBeDisabled();
  await expect(page.getByRole('button', { name: `Disable ${DEMO.admin}` })).toBeDisabled();
});

test('a new user form says what is wrong in full sentences next to each field', async ({ page }) => {
  await signInAndWait(page, DEMO.admin);
  await page.goto('/admin/users');
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  await dialog.getByLabel('Email').fill('not-an-address');
  await dialog.getByLabel('Initial password').fill('short');
  await dialog.getByRole('button', { name: 'Create user' }).click();
  await expect(dialog.getByText('Enter the person’s name.')).toBeVisible();
  await expect(dialog.getByText('Enter a valid email address, such as name@example.com.')).toBeVisible();
  await expect(dialog.getByText('The password must be at least 12 characters.')).toBeVisible();
});

test('after an admin resets a password, the user must choose their own before anything else', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto('/admin/users');
  const email = `reset-${Date.now()}@syncwright.example`;
  await createUser(admin, { name: 'Reset Me', email, role: 'finance', password: 'first-strong-password' });

  await admin.getByRole('button', { name: `Reset password of ${email}` }).click();
  const reset = admin.getByRole('dialog', { name: 'Reset password' });
  await reset.getByLabel('New password').fill('admin-set-password');
  await reset.getByRole('button', { name: 'Set password' }).click();
  await expect(reset).toBeHidden();

  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signIn(user, email, 'admin-set-password');
  await expect(user).toHaveURL(/\/change-password$/);
  await expect(user.getByRole('status').filter({ hasText: 'An admin set your password' })).toBeVisible();
  // No page of the console opens until the password is changed.
  await user.goto('/exceptions');
  await expect(user).toHaveURL(/\/change-password$/);

  const changeTo = async (password: string) => {
    await user.getByLabel('Current password').fill('admin-set-password');
    await user.getByLabel('New password', { exact: true }).fill(password);
    await user.getByLabel('New password again').fill(password);
    await user.getByRole('button', { name: 'Change password' }).click();
  };
  await changeTo('qwertyqwerty');
  await expect(user.getByRole('alert').filter({ hasText: 'one of the most common' })).toBeVisible();
  await changeTo('my-own-strong-password');
  await expect(user).toHaveURL(/\/dashboards$/);
  await user.goto('/exceptions');
  await expect(user.getByRole('heading', { level: 1, name: 'Exceptions' })).toBeVisible();

  await adminContext.close();
  await userContext.close();
});
