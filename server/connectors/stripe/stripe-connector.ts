import type Stripe from 'stripe';
import {
  ConnectorError,
  type ClassifiedError,
  type Connector,
  type KeyLookup,
  type PulledRecord,
  type PullFilter,
  type PullResult,
  type UpsertInput,
  type UpsertResult,
} from '../connector';
import { RequestLimiter, type RequestLimits } from '../request-limiter';
import { checkedId, checkedIdempotencyKey, checkedKey, checkedLimits } from './checked-input';
import { classifyStripeError } from './classify-stripe-error';
import { customerCreateParams, customerUpdateParams } from './customer-fields';
import { decodeEventCursor, decodeInvoiceCursor, encodeCursor } from './event-cursor';
import { findByKeys } from './find-by-keys';
import { invoiceCreateParams, invoiceUpdateParams, type InvoiceFields } from './invoice-fields';
import { invoiceItemCreateParams, invoiceItemUpdateParams, type InvoiceItemFields } from './invoice-item-fields';
import { SYNCWRIGHT_ID } from './parse-fields';
import { toPlainJson } from './plain-json';
import { pullInvoices, readInvoices } from './pull-invoices';
import { MAX_PAGE, readEventsAfter } from './read-events';
import { limitedCall, wasReplayed } from './stripe-call';
import { createStripeClient } from './stripe-client';
import {
  createWebhookEndpoint,
  verifyStripeWebhook,
  type StripeWebhookEndpoint,
  type WebhookEventType,
} from './stripe-webhooks';

/**
 * The billing connector: Stripe through the official SDK, one request at a time inside the
 * connector's limits, never retried here.
 *
 * Writes always carry the caller's idempotency key. A create answered from Stripe's idempotency
 * store (response header `Idempotent-Replayed: true`) returns the object the first request made,
 * and is reported as `created: false`; an update is never `created`. Stripe keeps keys 24 hours
 * and refuses a key reused with other parameters or on another endpoint (`idempotency_error`,
 * business), so a key must stand for one request: derive it from the record, its content and
 * whether it creates or updates. Past those 24 hours, `findByKeys` finds what a create made by the
 * key it stamped in the object's metadata.
 */
export interface StripeConnectorOptions {
  /** e.g. https://api.stripe.com or the sandbox's http://127.0.0.1:4030 */
  baseUrl: string;
  secretKey: string;
  limits?: RequestLimits;
  /** Per request; an unanswered request fails as a transient TIMEOUT. */
  timeoutMs?: number;
}

/** Stripe test mode allows 25 reads and 25 writes a second; staying at 25 in all keeps clear of both. */
export const DEFAULT_STRIPE_LIMITS: RequestLimits = { maxConcurrent: 10, perSecond: 25 };
export const DEFAULT_STRIPE_TIMEOUT_MS = 30_000;

export const STRIPE_OBJECT_TYPES = ['customer', 'invoiceitem', 'invoice'] as const;
export type StripeObjectType = (typeof STRIPE_OBJECT_TYPES)[number];

export interface StripeWrite<T> {
  object: T;
  created: boolean;
}

export interface StripeEventPage {
  /** Oldest first. */
  events: Stripe.Event[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface StripeConnector extends Connector {
  readonly system: 'stripe';
  findByKeys(objectType: string, lookups: readonly KeyLookup[]): Promise<Map<string, string>>;
  /** A pending invoice item (or one on the draft named by `fields.invoice`). */
  createInvoiceItem(
    key: string,
    fields: InvoiceItemFields,
    idempotencyKey: string,
  ): Promise<StripeWrite<Stripe.InvoiceItem>>;
  /** A draft invoice gathering the customer's pending invoice items. */
  createDraftInvoice(key: string, fields: InvoiceFields, idempotencyKey: string): Promise<StripeWrite<Stripe.Invoice>>;
  /** draft → open (or paid when nothing is due). Refusals such as customer_tax_location_invalid are business errors. */
  finalizeInvoice(invoiceId: string, idempotencyKey: string): Promise<Stripe.Invoice>;
  /**
   * The customer whose `metadata.syncwright_id` is `key`, or null. Stripe's search API is
   * eventually consistent, so this lists customers: by e-mail when one is
   * given (one request, usually), otherwise all of them, 100 per request. The identity map is the
   * first place to look; this is for recovering a lost link.
   */
  findCustomerByKey(key: string, options?: { email?: string }): Promise<Stripe.Customer | null>;
  /** The oldest customer whose `metadata[name]` is `value` (e.g. the ERP customer id another
   *  integration wrote), found by Stripe's search, never by listing every customer; null when none. */
  findCustomerByMetadata(name: string, value: string): Promise<Stripe.Customer | null>;
  /** Every item on one invoice, or a customer's pending items (those on no invoice), 100 a request. */
  listInvoiceItems(filter: { invoice: string } | { customer: string; pending: true }): Promise<Stripe.InvoiceItem[]>;
  /** Events of the given types after the cursor, oldest first (null: from the oldest Stripe keeps).
   *  A single type may use Stripe's wildcard, e.g. `customer.*`. */
  listEventsSince(
    cursor: string | null,
    options: { types: readonly string[]; limit?: number },
  ): Promise<StripeEventPage>;
  verifyWebhook(rawBody: string | Buffer, signatureHeader: string, secret: string): Stripe.Event;
  createWebhookEndpoint(
    url: string,
    events: readonly WebhookEventType[],
    options?: { idempotencyKey?: string; description?: string },
  ): Promise<StripeWebhookEndpoint>;
}

export function createStripeConnector(options: StripeConnectorOptions): StripeConnector {
  const limits = checkedLimits(options.limits ?? DEFAULT_STRIPE_LIMITS);
  const stripe = createStripeClient({
    baseUrl: options.baseUrl,
    secretKey: options.secretKey,
    timeoutMs: options.timeoutMs ?? DEFAULT_STRIPE_TIMEOUT_MS,
  });
  const call = limitedCall(stripe, new RequestLimiter(limits));

  // Fields are checked by their schemas whatever their static type: upsert passes them on untyped.
  const createInvoiceItem = async (key: string, fields: unknown, idempotencyKey: string) => {
    const params = invoiceItemCreateParams(checkedKey(key), fields);
    const requestOptions = { idempotencyKey: checkedIdempotencyKey(idempotencyKey) };
    return created(await call((s) => s.invoiceItems.create(params, requestOptions)));
  };
  const createDraftInvoice = async (key: string, fields: unknown, idempotencyKey: string) => {
    const params = invoiceCreateParams(checkedKey(key), fields);
    const requestOptions = { idempotencyKey: checkedIdempotencyKey(idempotencyKey) };
    return created(await call((s) => s.invoices.create(params, requestOptions)));
  };

  async function upsertObject(
    objectType: StripeObjectType,
    input: UpsertInput,
    idempotencyKey: string,
  ): Promise<StripeWrite<{ id?: string }>> {
    const key = checkedKey(input.key);
    const requestOptions = { idempotencyKey: checkedIdempotencyKey(idempotencyKey) };
    const targetId = input.targetId ? checkedId(input.targetId) : null;
    switch (objectType) {
      case 'customer': {
        if (!targetId) {
          const params = customerCreateParams(key, input.fields);
          return created(await call((s) => s.customers.create(params, requestOptions)));
        }
        const params = customerUpdateParams(key, input.fields);
        return updated(await call((s) => s.customers.update(targetId, params, requestOptions)));
      }
      case 'invoiceitem': {
        if (!targetId) return createInvoiceItem(key, input.fields, idempotencyKey);
        const params = invoiceItemUpdateParams(key, input.fields);
        return updated(await call((s) => s.invoiceItems.update(targetId, params, requestOptions)));
      }
      case 'invoice': {
        if (!targetId) return createDraftInvoice(key, input.fields, idempotencyKey);
        const params = invoiceUpdateParams(key, input.fields);
        return updated(await call((s) => s.invoices.update(targetId, params, requestOptions)));
      }
    }
  }

  /** `pull` reads invoices only, followed through their events. */
  const checkPulled = (objectType: string): void => {
    if (checkedObjectType(objectType) !== 'invoice') {
      throw new ConnectorError({
        class: 'config',
        code: 'PULL_NOT_SUPPORTED',
        message: `The Stripe connector pulls invoices only, not ${objectType}.`,
      });
    }
  };

  return {
    system: 'stripe',

    async pull(objectType: string, cursor: string | null, limit: number, filter?: PullFilter): Promise<PullResult> {
      checkPulled(objectType);
      return pullInvoices(call, cursor, limit, filter);
    },

    async readCurrent(objectType: string, externalIds: readonly string[]): Promise<PulledRecord[]> {
      if (checkedObjectType(objectType) !== 'invoice') {
        throw new ConnectorError({
          class: 'config',
          code: 'PULL_NOT_SUPPORTED',
          message: `The Stripe connector reads invoices only, not ${objectType}.`,
        });
      }
      return readInvoices(call, externalIds.map(checkedId));
    },

    rewind(objectType: string, cursor: string, _since: Date): string {
      checkPulled(objectType);
      decodeInvoiceCursor(cursor);
      // Changes are read from the event log after an event id, not by time, and each event
      // carries the invoice as it was then: reading events again would write old states back.
      return cursor;
    },

    cursorTime(objectType: string, cursor: string): Date {
      checkPulled(objectType);
      return new Date(decodeInvoiceCursor(cursor).created * 1000);
    },

    async get(objectType: string, externalId: string): Promise<Record<string, unknown> | null> {
      const type = checkedObjectType(objectType);
      checkedId(externalId);
      try {
        const object = await call<object>((s) =>
          type === 'customer'
            ? s.customers.retrieve(externalId)
            : type === 'invoiceitem'
              ? s.invoiceItems.retrieve(externalId)
              : s.invoices.retrieve(externalId),
        );
        // A deleted customer still answers, as a stub; for the pipeline it is gone.
        return 'deleted' in object && object.deleted === true ? null : toPlainJson(object);
      } catch (error) {
        if (
          error instanceof ConnectorError &&
          error.classified.code === 'resource_missing' &&
          error.classified.status === 404
        )
          return null;
        throw error;
      }
    },

    async upsert(objectType: string, input: UpsertInput, idempotencyKey: string): Promise<UpsertResult> {
      const write = await upsertObject(checkedObjectType(objectType), input, idempotencyKey);
      if (!write.object.id)
        throw new ConnectorError({
          class: 'transient',
          code: 'api_error',
          message: 'Stripe answered a write without an object id.',
        });
      return { externalId: write.object.id, created: write.created };
    },

    async findByKeys(objectType: string, lookups: readonly KeyLookup[]): Promise<Map<string, string>> {
      return findByKeys(call, checkedObjectType(objectType), lookups);
    },

    classifyError(error: unknown): ClassifiedError {
      return classifyStripeError(error);
    },

    createInvoiceItem: (key: string, fields: InvoiceItemFields, idempotencyKey: string) =>
      createInvoiceItem(key, fields, idempotencyKey),
    createDraftInvoice: (key: string, fields: InvoiceFields, idempotencyKey: string) =>
      createDraftInvoice(key, fields, idempotencyKey),

    async finalizeInvoice(invoiceId, idempotencyKey) {
      checkedId(invoiceId);
      const requestOptions = { idempotencyKey: checkedIdempotencyKey(idempotencyKey) };
      return call((s) => s.invoices.finalizeInvoice(invoiceId, {}, requestOptions));
    },

    // A create whose reply was lost may be seconds old: exact lists, not the lagging search index.
    async findCustomerByKey(key, findOptions = {}) {
      const { email } = findOptions;
      let startingAfter: string | undefined;
      for (;;) {
        const after = startingAfter;
        const page = await call((s) =>
          s.customers.list({ limit: MAX_PAGE, ...(email && { email }), ...(after && { starting_after: after }) }),
        );
        const found = page.data.find((customer) => customer.metadata?.[SYNCWRIGHT_ID] === key);
        if (found) return found;
        const last = page.data.at(-1);
        if (!page.has_more || !last) return null;
        startingAfter = last.id;
      }
    },

    // Customers raised outside Syncwright long ago: Stripe's search finds them without a walk
    // through every customer. Of several, the oldest stands (search runs newest first).
    async findCustomerByMetadata(name, value) {
      let found: Stripe.Customer | null = null;
      let page: string | undefined;
      for (;;) {
        const next = page;
        const result = await call((s) =>
          s.customers.search({
            query: `metadata['${searchText(name)}']:'${searchText(value)}'`,
            limit: MAX_PAGE,
            ...(next && { page: next }),
          }),
        );
        found = result.data.at(-1) ?? found;
        if (!result.has_more || !result.next_page) return found;
        page = result.next_page;
      }
    },

    async listInvoiceItems(filter) {
      const scope =
        'invoice' in filter
          ? { invoice: checkedId(filter.invoice) }
          : { customer: checkedId(filter.customer), pending: true };
      const items: Stripe.InvoiceItem[] = [];
      let startingAfter: string | undefined;
      for (;;) {
        const after = startingAfter;
        const page = await call((s) =>
          s.invoiceItems.list({ ...scope, limit: MAX_PAGE, ...(after && { starting_after: after }) }),
        );
        items.push(...page.data);
        const last = page.data.at(-1);
        if (!page.has_more || !last) return items;
        startingAfter = last.id;
      }
    },

    async listEventsSince(cursor, listOptions) {
      const from = cursor === null ? null : decodeEventCursor(cursor);
      const page = await readEventsAfter(call, from, listOptions.types, listOptions.limit ?? MAX_PAGE);
      return { events: page.events, nextCursor: page.next ? encodeCursor(page.next) : null, hasMore: page.hasMore };
    },

    verifyWebhook: verifyStripeWebhook,

    createWebhookEndpoint(url, events, endpointOptions) {
      return createWebhookEndpoint(call, url, events, endpointOptions);
    },
  };
}

/** A create's result: new unless Stripe replayed the first request made with this key. */
function created<T extends object>(response: Stripe.Response<T>): StripeWrite<T> {
  return { object: response, created: !wasReplayed(response) };
}

function updated<T extends object>(response: Stripe.Response<T>): StripeWrite<T> {
  return { object: response, created: false };
}

function checkedObjectType(objectType: string): StripeObjectType {
  if ((STRIPE_OBJECT_TYPES as readonly string[]).includes(objectType)) return objectType as StripeObjectType;
  throw new ConnectorError({
    class: 'config',
    code: 'UNKNOWN_OBJECT_TYPE',
    message: `The Stripe connector knows ${STRIPE_OBJECT_TYPES.join(', ')}, not "${objectType}".`,
  });
}

/** A value inside a quoted search-query string: quotes and backslashes escaped, as Stripe asks. */
function searchText(value: string): string {
  return value.replace(/[\\']/g, (c) => `\\${c}`);
}
