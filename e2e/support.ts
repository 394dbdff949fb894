import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/** The demo password the server generated for its data folder. */
export function demoPassword(): string {
  const file = path.join(process.env.E2E_DATA_DIR!, 'local-secrets.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { demoPassword: string }).demoPassword;
}

export const DEMO = {
  admin: 'admin@syncwright.example',
  finance: 'finance@syncwright.example',
  operations: 'operations@syncwright.example',
  auditor: 'auditor@syncwright.example',
} as const;

export async function signIn(page: Page, email: string, password = demoPassword()) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signInAndWait(page: Page, email: string, password?: string) {
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboards$/);
  await expect(page.getByRole('heading', { name: 'Dashboards' })).toBeVisible();
}

export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link');
}

/** The sign-in form's message (Next.js keeps an empty route announcer with the same role). */
export function signInMessage(page: Page) {
  return page.getByRole('alert').filter({ hasText: /\S/ });
}
