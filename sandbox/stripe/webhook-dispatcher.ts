/**
 * Delivers recorded events to webhook endpoints, outside the request that caused them. Each
 * pending delivery is a row, so deliveries outlive a restart: a new dispatcher picks up where the
 * old one stopped. A delivery succeeds on any 2xx; a non-2xx answer, a refused connection or no
 * answer within the timeout is retried after baseDelayMs × 2^(attempt−1) until the attempts run out.
 */
import type pg from 'pg';
import { eventWithPendingWebhooks } from './event-log';
import { stripeJson } from './stripe-json';
import { signatureHeader } from './webhook-signature';

export interface WebhookRetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** How long an endpoint may take to answer, in milliseconds. */
  timeoutMs?: number;
}

export const DEFAULT_WEBHOOK_RETRY: Required<WebhookRetryPolicy> = {
  attempts: 6,
  baseDelayMs: 1000,
  timeoutMs: 10_000,
};

/** The longest the dispatcher sleeps without a nudge, so retries scheduled elsewhere are found. */
const IDLE_POLL_MS = 1000;
const BATCH = 20;

interface DueDelivery {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  event: object;
}

export class WebhookDispatcher {
  private readonly policy: Required<WebhookRetryPolicy>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private stopped = false;
  private readonly inFlight = new Set<AbortController>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly s: string,
    policy: WebhookRetryPolicy | undefined,
  ) {
    this.policy = { ...DEFAULT_WEBHOOK_RETRY, ...policy };
    if (!Number.isInteger(this.policy.attempts) || this.policy.attempts < 1) {
      throw new RangeError(`webhook attempts must be a positive integer, got ${this.policy.attempts}`);
    }
    if (!(this.policy.baseDelayMs >= 0)) throw new RangeError(`webhook baseDelayMs must be ≥ 0`);
  }

  start(): void {
    this.kick();
  }

  /** Runs a delivery pass soon (new events were committed). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const controller of this.inFlight) controller.abort();
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.cycle().finally(() => {
        this.running = null;
        // A nudge that came while the cycle was ending must not wait for the idle poll.
        if (this.rerun) {
          this.rerun = false;
          this.schedule(0);
        }
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One delivery pass, then a timer for the next due retry (or an idle poll). */
  private async cycle(): Promise<void> {
    await this.pass().catch(() => undefined);
    if (this.stopped) return;
    let next = IDLE_POLL_MS;
    if (this.rerun) {
      this.rerun = false;
      next = 0;
    } else {
      const { rows } = await this.pool
        .query<{ wait_ms: number | null }>(
          `SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS wait_ms
             FROM ${this.s}.webhook_deliveries WHERE status = 'pending'`,
        )
        .catch(() => ({ rows: [] as Array<{ wait_ms: number | null }> }));
      const wait = rows[0]?.wait_ms;
      if (wait !== null && wait !== undefined) next = Math.min(wait, IDLE_POLL_MS);
    }
    this.schedule(next);
  }

  private async pass(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const due = await this.due();
      if (due.length === 0) return;
      await Promise.all(due.map((delivery) => this.deliver(delivery)));
    }
  }

  private async due(): Promise<DueDelivery[]> {
    const { rows } = await this.pool.query<DueDelivery>(
      `SELECT d.id, d.attempts, w.doc->>'url' AS url, w.secret,
              (SELECT ${eventWithPendingWebhooks(this.s)} FROM ${this.s}.events WHERE events.id = d.event_id) AS event
         FROM ${this.s}.webhook_deliveries d
         JOIN ${this.s}.webhook_endpoints w ON w.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at, d.id
        LIMIT ${BATCH}`,
    );
    return rows;
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    const payload = stripeJson(delivery.event);
    const timestamp = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.policy.timeoutMs);
    this.inFlight.add(controller);
    let status: number | null = null;
    let failure: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': signatureHeader(payload, delivery.secret, timestamp),
        },
        body: payload,
        signal: controller.signal,
      });
      status = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (status < 200 || status >= 300) failure = `endpoint answered ${status}`;
    } catch (error) {
      failure = controller.signal.aborted ? 'timed out' : error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.stopped && failure) return; // shutting down: leave it pending for the next start
    const attempts = delivery.attempts + 1;
    if (!failure) {
      await this.pool.query(
        `UPDATE ${this.s}.webhook_deliveries
            SET status = 'delivered', attempts = $2, last_response_status = $3, last_error = NULL, delivered_at = now()
          WHERE id = $1`,
        [delivery.id, attempts, status],
      );
      return;
    }
    const exhausted = attempts >= this.policy.attempts;
    const delayMs = this.policy.baseDelayMs * 2 ** (attempts - 1);
    await this.pool.query(
      `UPDATE ${this.s}.webhook_deliveries
          SET status = $2, attempts = $3, last_response_status = $4, last_error = $5,
              next_attempt_at = now() + ($6::float8 * interval '1 millisecond')
        WHERE id = $1`,
      [delivery.id, exhausted ? 'failed' : 'pending', attempts, status, failure, delayMs],
    );
  }
}
