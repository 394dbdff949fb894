import { describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '@/lib/trpc-limits';
import { handleTrpcRequest, MAX_TRPC_BODY_BYTES } from './http-handler';
import type { Context } from './trpc';

const anonymous = async (): Promise<Context> => ({
  user: null,
  requestId: 'http-test',
  ip: '127.0.0.1',
  crossSite: false,
});
const BASE = 'http://console.test/api/trpc';

const batchOf = (n: number) =>
  new Request(`${BASE}/${Array(n).fill('system.health').join(',')}?batch=1&input=${encodeURIComponent('{}')}`);

describe('the tRPC endpoint', () => {
  it('answers a batch within the limit', async () => {
    const response = await handleTrpcRequest(batchOf(MAX_BATCH_SIZE), anonymous);
    expect(response.status).toBe(200);
  });

  it('refuses a batch over the limit', async () => {
    const response = await handleTrpcRequest(batchOf(MAX_BATCH_SIZE + 1), anonymous);
    expect(response.status).toBe(400);
  });

  it('refuses a body over the limit before reading it', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        if (pulled > 64) controller.close();
      },
    });
    const declared = new Request(`${BASE}/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(MAX_TRPC_BODY_BYTES + 1) },
      body: '{}',
    });
    expect((await handleTrpcRequest(declared, anonymous)).status).toBe(413);
    const streamed = new Request(`${BASE}/users.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect((await handleTrpcRequest(streamed, anonymous)).status).toBe(413);
    // Reading stopped soon after the limit, not at the end of the stream.
    expect(pulled * 64 * 1024).toBeLessThan(MAX_TRPC_BODY_BYTES + 3 * 64 * 1024);
  });

  it('does not offer the webhook receiver as a tRPC call', async () => {
    const response = await handleTrpcRequest(
      new Request(`${BASE}/webhooks.stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payload: '{}', signature: null }),
      }),
      anonymous,
    );
    expect(response.status).toBe(404);
  });
});
