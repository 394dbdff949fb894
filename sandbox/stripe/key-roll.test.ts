import { describe, expect, it } from 'vitest';
import { caught, setUpHarness } from '@/test/stripe-emulator-harness';

const h = setUpHarness();

describe('rolling the secret key', () => {
  it('answers the new key and refuses the old one as expired, as Stripe does after "Roll key"', async () => {
    const old = h.emulator.credentials.secretKey;
    const res = await fetch(`${h.emulator.baseUrl}/__sandbox/keys/roll`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { secretKey } = (await res.json()) as { secretKey: string };
    expect(secretKey).toMatch(/^sk_test_\w{48}$/);
    expect(secretKey).not.toBe(old);

    expect((await h.client({ apiKey: secretKey }).customers.list({ limit: 1 })).object).toBe('list');
    const refused = await caught(h.client({ apiKey: old }).customers.list({ limit: 1 }));
    expect(refused.statusCode).toBe(401);
    expect(refused.type).toBe('StripeAuthenticationError');
    expect(refused.code).toBe('api_key_expired');
    expect(refused.message).toBe(`Expired API Key provided: sk_test_${'*'.repeat(44)}${old.slice(-4)}`);
  });

  it('keeps the rolled key across a restart', async () => {
    const current = h.emulator.credentials.secretKey;
    const restarted = await h.restart();
    expect(restarted.credentials.secretKey).toBe(current);
    expect(restarted.credentials.expiredSecretKeys).toHaveLength(1);
  });
});
