import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { MAX_BATCH_SIZE } from '@/lib/trpc-limits';
import { payloadTooLarge, readBodyWithin } from './request-body';
import { appRouter } from './root';
import type { Context } from './trpc';

/** The console's calls carry forms and filters: far less than this. */
export const MAX_TRPC_BODY_BYTES = 256 * 1024;

/** The console's API over HTTP: batches and bodies bounded before any procedure runs. */
export async function handleTrpcRequest(req: Request, createContext: () => Promise<Context>): Promise<Response> {
  let request = req;
  if (req.method === 'POST') {
    const body = await readBodyWithin(req, MAX_TRPC_BODY_BYTES);
    if (body === null) return payloadTooLarge(MAX_TRPC_BODY_BYTES);
    request = new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext,
    maxBatchSize: MAX_BATCH_SIZE,
  });
}
