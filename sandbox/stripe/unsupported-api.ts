/**
 * Stripe endpoints next to emulated ones that the sandbox does not serve. They answer with a
 * clear 400 rather than falling into `/:id` and reporting a missing object named "search".
 */
import type { ApiRoute } from './api-context';
import { invalidRequest } from './stripe-error';

const unsupported = (what: string) => async () => {
  throw invalidRequest(`${what} is not supported by the Stripe sandbox.`, { saveable: false });
};

export const unsupportedRoutes: ApiRoute[] = [
  { method: 'GET', pattern: '/v1/invoices/search', handler: unsupported('Invoice search') },
  { method: 'GET', pattern: '/v1/invoices/upcoming', handler: unsupported('The upcoming invoice') },
  { method: 'POST', pattern: '/v1/invoices/create_preview', handler: unsupported('Invoice preview') },
  { method: 'POST', pattern: '/v1/invoices/:id/send', handler: unsupported('Sending invoices by email') },
  { method: 'POST', pattern: '/v1/invoices/:id/add_lines', handler: unsupported('add_lines') },
  { method: 'POST', pattern: '/v1/invoices/:id/remove_lines', handler: unsupported('remove_lines') },
  { method: 'POST', pattern: '/v1/invoices/:id/update_lines', handler: unsupported('update_lines') },
];
