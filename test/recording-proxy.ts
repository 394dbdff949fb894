import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test support: a pass-through HTTP proxy on loopback in front of an emulator. It records every
 * request that reaches it and the most it ever had in flight, and can act between receiving an
 * answer and relaying it (to change data while a client is in the middle of paging).
 */

export interface RecordingProxy {
  url: string;
  /** `METHOD /path` of each request, in arrival order. */
  requests: string[];
  peakInFlight: number;
  close(): Promise<void>;
}

export interface RecordingProxyOptions {
  /** Runs before the answer to request number `index` (0-based) is passed on. */
  beforeRelay?: (request: string, index: number) => Promise<void>;
}

/** Headers that belong to one connection, or that fetch has already acted on (it decodes bodies). */
const NOT_RELAYED = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
]);

/** The request body as text: the REST API only takes JSON. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRecordingProxy(
  targetUrl: string,
  options: RecordingProxyOptions = {},
): Promise<RecordingProxy> {
  let inFlight = 0;
  const proxy: RecordingProxy = { url: '', requests: [], peakInFlight: 0, close: async () => undefined };
  const server = createServer((req, res) => {
    const request = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    const index = proxy.requests.push(request) - 1;
    inFlight += 1;
    proxy.peakInFlight = Math.max(proxy.peakInFlight, inFlight);
    void (async () => {
      try {
        const body = await readBody(req);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !NOT_RELAYED.has(name)) headers[name] = value;
        }
        const answer = await fetch(`${targetUrl}${req.url}`, {
          method: req.method,
          headers,
          body: body.length ? body : undefined,
        });
        const payload = Buffer.from(await answer.arrayBuffer());
        await options.beforeRelay?.(request, index);
        res.writeHead(
          answer.status,
          Object.fromEntries([...answer.headers].filter(([name]) => !NOT_RELAYED.has(name))),
        );
        res.end(payload);
      } catch {
        res.destroy();
      } finally {
        inFlight -= 1;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
