import { expect, test, type Page } from '@playwright/test';
import { withConsoleDatabase } from './database';
import { DEMO, signInMessage } from './support';

/** Through the provider's own login and consent pages (oidc-provider-server.ts), as `login`. */
async function signInAtProvider(page: Page, login: string) {
  // The provider's pages load a web font; nothing leaves the machine.
  await page.route(/^https?:\/\/(?!localhost)/, (route) => route.abort());
  await page.goto('/signin');
  await page.getByRole('button', { name: 'Continue with Single sign-on' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a verified identity at the provider signs in as its console user, who is bound to it from then on', async ({
  page,
}) => {
  await signInAtProvider(page, 'finance');
  await expect(page).toHaveURL(/\/dashboards$/);
  await expect(page.getByRole('heading', { name: 'Dashboards' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Demo Finance');
  const bound = await withConsoleDatabase(async (client) => {
    const { rows } = await client.query<{ oidcIssuer: string; oidcSubject: string }>(
      `SELECT "oidcIssuer", "oidcSubject" FROM "User" WHERE email = $1`,
      [DEMO.finance],
    );
    return rows[0];
  });
  expect(bound).toEqual({ oidcIssuer: expect.stringMatching(/^http:\/\/localhost:\d+$/), oidcSubject: 'finance' });
});

test('an address the provider has not verified gets no access, whoever it names', async ({ page }) => {
  await signInAtProvider(page, 'unverified');
  await expect(page).toHaveURL(/\/signin\?error=sso_denied/);
  await expect(signInMessage(page)).toContainText('no access to Syncwright');
});
