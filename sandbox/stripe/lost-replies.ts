/**
 * The fault a network gives an integration at the worst moment: Stripe receives the request,
 * carries it out and commits it, and the reply never reaches the client (the connection drops).
 * The client cannot tell this from a request that never arrived; only the same idempotency key,
 * within Stripe's 24 hours, or a look-up of what it wrote, settles which.
 *
 * One-shot and targeted, so a test can lose exactly the reply it means to: "the next N requests
 * to METHOD PATH".
 */
import { z } from 'zod';

const lostReplySchema = z
  .object({
    method: z.enum(['POST', 'DELETE']).default('POST'),
    path: z.string().regex(/^\/v1\//, 'must be an API path such as /v1/invoiceitems'),
    /** 0 clears the rule. */
    count: z.number().int().min(0).max(1000),
  })
  .strict();

export interface LostReplyRule {
  method: 'POST' | 'DELETE';
  path: string;
  count: number;
}

export class LostReplies {
  private readonly rules = new Map<string, LostReplyRule>();

  list(): LostReplyRule[] {
    return [...this.rules.values()].map((rule) => ({ ...rule }));
  }

  /** Sets how many of the next requests to the method and path lose their reply. */
  set(update: unknown): LostReplyRule[] {
    const rule = lostReplySchema.parse(update);
    const key = `${rule.method} ${rule.path}`;
    if (rule.count === 0) this.rules.delete(key);
    else this.rules.set(key, rule);
    return this.list();
  }

  /** Whether this request's reply is to be lost; counts it against its rule. */
  take(method: string, path: string): boolean {
    const key = `${method} ${path.replace(/\/$/, '')}`;
    const rule = this.rules.get(key);
    if (!rule) return false;
    rule.count -= 1;
    if (rule.count === 0) this.rules.delete(key);
    return true;
  }

  reset(): void {
    this.rules.clear();
  }
}
