import { expect, test } from '@playwright/test';
import { DEMO, signIn, signInAndWait, signInMessage } from './support';

test('wrong passwords get one clear message, the same as an unknown account, then a rate limit; each is audited', async ({
  page,
  browser,
}) => {
  const target = DEMO.operations;
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signIn(page, target, `wrong-password-${attempt}`);
    await expect(signInMessage(page)).toHaveText('Email or password is incorrect.');
  }
  await signIn(page, 'nobody-here@syncwright.example', 'whatever-password');
  await expect(signInMessage(page)).toHaveText('Email or password is incorrect.');

  await signIn(page, target);
  await expect(signInMessage(page)).toHaveText('Too many failed sign-in attempts. Wait a minute, then try again.');

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAndWait(admin, DEMO.admin);
  await admin.goto(`/audit?action=auth.signin_failed&actor=${encodeURIComponent(target)}`);
  const events = admin.getByRole('table', { name: 'Audit events' });
  await expect(events.getByRole('row').filter({ hasText: 'Failed to sign in' })).toHaveCount(5);
  await admin.goto(`/audit?action=auth.signin_failed&actor=nobody-here`);
  await expect(events.getByRole('row').filter({ hasText: 'Failed to sign in' })).toHaveCount(1);

  // The export holds the same filtered set.
  const download = admin.waitForEvent('download');
  await admin.getByRole('link', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const lines = readFileSync(file, 'utf8').trim().split('\r\n');
  expect(lines[0]).toBe('id,occurred_at,actor,action,target_type,target_id,before,after,request_id,ip,hash');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('nobody-here@syncwright.example');
  await adminContext.close();
});
