/**
 * The console's HTTP server: Next.js behind a plain Node server, so the address that connected
 * (the socket's peer) reaches the application. Next alone keeps whatever X-Forwarded-For a client
 * sends; here the peer is appended to it, and client-address.ts believes earlier entries only
 * from proxies named in TRUSTED_PROXIES.
 * Usage: node --import tsx scripts/web-server.ts --port N --hostname H [--dev]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { appendPeerAddress } from '@/server/auth/client-address';

const { values } = parseArgs({
  options: { port: { type: 'string' }, hostname: { type: 'string' }, dev: { type: 'boolean', default: false } },
});
const port = Number(values.port ?? 3000);
const hostname = values.hostname ?? 'localhost';

const app = next({ dev: values.dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers['x-forwarded-for'] = appendPeerAddress(req.headers['x-forwarded-for'], req.socket.remoteAddress);
  void handle(req, res);
});
const upgrade = app.getUpgradeHandler();
server.on('upgrade', (req, socket, head) => {
  req.headers['x-forwarded-for'] = appendPeerAddress(req.headers['x-forwarded-for'], req.socket.remoteAddress);
  void upgrade(req, socket, head);
});
server.listen(port, hostname, () => console.log(`console listening on http://${hostname}:${port}`));

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
