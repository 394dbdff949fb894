import { expect, test } from '@playwright/test';
import { DEMO, signInAndWait } from './support';

const PAGES = ['/dashboards', '/exceptions', '/runs', '/audit', '/admin/users'];

test('every page carries the security headers, its scripts run under the policy, and the console logs no error', async ({
  page,
}) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));

  // Pages that need no session render under the policy too.
  for (const path of ['/signin', '/forbidden']) {
    expectSecurityHeaders((await page.goto(path))!.headers());
    await page.waitForLoadState('networkidle');
  }
  expect(problems).toEqual([]);
  const missing = await page.goto('/no-such-page');
  expect(missing!.status()).toBe(404);
  expectSecurityHeaders(missing!.headers());
  problems.length = 0; // the 404 itself is logged as a failed resource load
  await signInAndWait(page, DEMO.admin);

  const nonces = new Set<string>();
  for (const path of PAGES) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(200);
    const headers = response!.headers();
    expectSecurityHeaders(headers);
    nonces.add(/'nonce-([^']+)'/.exec(headers['content-security-policy']!)![1]!);
    // Hydrated: the account menu (a client component) answers.
    await expect(page.getByRole('button', { name: /account/i })).toBeVisible();
  }
  expect(nonces.size, 'a fresh nonce for every page').toBe(PAGES.length);
  expect(problems).toEqual([]);
});

function expectSecurityHeaders(headers: Record<string, string>) {
  const policy = headers['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain("'unsafe-eval'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(headers['x-frame-options']).toBe('DENY');
}
