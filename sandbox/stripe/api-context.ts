/**
 * What an endpoint handler receives: the parameters, the store bound to the request's
 * transaction, and the means to record events in that same transaction.
 */
import type { FormObject } from './form-params';
import type { ParamReader } from './param-reader';
import type { StripeStore } from './stripe-store';

export interface ApiContext {
  store: StripeStore;
  params: ParamReader;
  rawParams: FormObject;
  pathParams: Record<string, string>;
  /** Unix seconds, fixed for the whole request. */
  now: number;
  requestId: string;
  idempotencyKey: string | null;
  /** Records an event (and its webhook deliveries) in the request's transaction. */
  emit(type: string, object: object, previousAttributes?: Record<string, unknown>): Promise<void>;
}

export type ApiHandler = (ctx: ApiContext) => Promise<object>;

export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** e.g. `/v1/invoices/:id/finalize` */
  pattern: string;
  handler: ApiHandler;
}

export function pathParam(ctx: ApiContext, name: string): string {
  const value = ctx.pathParams[name];
  if (value === undefined) throw new Error(`route has no :${name}`);
  return value;
}
