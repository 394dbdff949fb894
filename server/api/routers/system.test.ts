import { describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import type { Context } from '../trpc';

const anonymous: Context = { user: null, requestId: 'health-test', ip: '127.0.0.1', crossSite: false };

describe('health', () => {
  it('tells an anonymous caller only whether the console is up', async () => {
    expect(await createCaller(anonymous).system.health()).toEqual({ status: 'ok' });
  });

  it('gives an admin the database and migration details', async () => {
    const admin: Context = {
      ...anonymous,
      user: {
        sessionId: 's',
        id: '00000000-0000-4000-8000-000000000001',
        email: 'a@test',
        name: 'A',
        role: 'admin',
        mustChangePassword: false,
      },
    };
    const details = await createCaller(admin).system.healthDetails();
    expect(details).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(details.migration).toMatch(/^\d{14}_/);
  });
});
