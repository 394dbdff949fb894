import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { failure } from '@/test/expect-connector-failure';
import { ConnectorError } from '../connector';
import { parseBaseUrl } from './stripe-client';
import { createStripeConnector } from './stripe-connector';

/** A stand-in for whatever answers at a base URL, counting the requests that reach it. */
async function fakeServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  servers.push(close);
  return { baseUrl: `http://127.0.0.1:${port}`, requests: () => requests, close };
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

const secretKey = 'sk_test_fake';

describe('base URL', () => {
  it('derives host, port and protocol for the SDK', () => {
    expect(parseBaseUrl('http://127.0.0.1:4030')).toEqual({ host: '127.0.0.1', port: 4030, protocol: 'http' });
    expect(parseBaseUrl('https://api.stripe.com')).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
    expect(parseBaseUrl('http://[::1]:4030/')).toEqual({ host: '::1', port: 4030, protocol: 'http' });
  });

  it.each(['not a url', 'ftp://api.stripe.com', 'https://proxy.example/stripe', 'https://user:pw@api.stripe.com'])(
    'refuses %s as a configuration error',
    (baseUrl) => {
      let caught: unknown;
      try {
        createStripeConnector({ baseUrl, secretKey });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConnectorError);
      expect((caught as ConnectorError).classified).toMatchObject({ class: 'config', code: 'BASE_URL_INVALID' });
    },
  );

  it('refuses a missing secret key', () => {
    expect(() => createStripeConnector({ baseUrl: 'https://api.stripe.com', secretKey: ' ' })).toThrow(ConnectorError);
  });
});

describe('transport failures', () => {
  it('sends a request whose connection is reset exactly once and reports a transient CONNECTION_RESET', async () => {
    const server = await fakeServer((req) => req.socket.destroy());
    const connector = createStripeConnector({ baseUrl: server.baseUrl, secretKey });
    expect(await failure(connector.get('invoice', 'in_123'))).toMatchObject({
      class: 'transient',
      code: 'CONNECTION_RESET',
    });
    expect(await failure(connector.upsert('customer', { key: 'c', fields: {} }, 'idem-reset'))).toMatchObject({
      class: 'transient',
      code: 'CONNECTION_RESET',
    });
    // Without the single-attempt client the SDK would have resent each request once.
    expect(server.requests()).toBe(2);
  });

  it('gives up on an unanswered request after timeoutMs with a transient TIMEOUT', async () => {
    const server = await fakeServer(() => undefined);
    const connector = createStripeConnector({ baseUrl: server.baseUrl, secretKey, timeoutMs: 200 });
    expect(await failure(connector.get('invoice', 'in_123'))).toMatchObject({ class: 'transient', code: 'TIMEOUT' });
    expect(server.requests()).toBe(1);
  });

  it('reports a refused connection as a transient NETWORK failure', async () => {
    const server = await fakeServer(() => undefined);
    await server.close();
    const connector = createStripeConnector({ baseUrl: server.baseUrl, secretKey });
    expect(await failure(connector.get('invoice', 'in_123'))).toMatchObject({ class: 'transient', code: 'NETWORK' });
  });

  it('takes a 404 page that is not Stripe’s for a wrong base URL, and a gateway page for a passing failure', async () => {
    const notStripe = await fakeServer((_req, res) =>
      res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>'),
    );
    expect(
      await failure(createStripeConnector({ baseUrl: notStripe.baseUrl, secretKey }).get('invoice', 'in_1')),
    ).toMatchObject({
      class: 'config',
      code: 'API_NOT_FOUND',
      status: 404,
    });
    const gateway = await fakeServer((_req, res) =>
      res.writeHead(502, { 'Content-Type': 'text/html' }).end('<h1>Bad Gateway</h1>'),
    );
    expect(
      await failure(createStripeConnector({ baseUrl: gateway.baseUrl, secretKey }).get('invoice', 'in_1')),
    ).toMatchObject({
      class: 'transient',
      status: 502,
    });
  });

  it('takes Stripe’s own 404 for an unknown URL as a configuration error', async () => {
    const wrongApi = await fakeServer((req, res) =>
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({
          error: { type: 'invalid_request_error', message: `Unrecognized request URL (GET: ${req.url}).` },
        }),
      ),
    );
    const refused = await failure(
      createStripeConnector({ baseUrl: wrongApi.baseUrl, secretKey }).get('invoice', 'in_1'),
    );
    expect(refused).toMatchObject({ class: 'config', code: 'API_NOT_FOUND', status: 404 });
    expect(refused.message).toContain('Unrecognized request URL (GET: /v1/invoices/in_1)');
  });
});
