import Stripe from 'stripe';

/**
 * The API version the emulator answers in: the one pinned by the installed `stripe` SDK, whose
 * object shapes (Invoice `parent`, `total_taxes`, no `paid`) the responses follow.
 */
export const STRIPE_API_VERSION: string = Stripe.API_VERSION;

const VERSION_FORMAT = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

/** A `Stripe-Version` header is a dated version, optionally with its release name. */
export function isWellFormedApiVersion(version: string): boolean {
  return VERSION_FORMAT.test(version);
}
