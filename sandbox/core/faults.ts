import { z } from 'zod';

/**
 * Fault injection for one emulated system, switchable at run time through the control API.
 * Each emulator renders a decided fault in its own service's documented error shape.
 */
const rate = z.number().min(0).max(1);

/** Every setting, none defaulted: the shape of a partial update. */
const faultUpdateSchema = z
  .object({
    /** Added to every request, in milliseconds. */
    latencyMs: z.number().int().min(0).max(60_000),
    /** Shares of requests (0–1) answered with a rate-limit error, a server error, no answer at
     *  all, or a validation rejection. They are exclusive and drawn in that order. */
    rate429: rate,
    rate5xx: rate,
    rateTimeout: rate,
    rateReject: rate,
  })
  .partial()
  .strict();

export const faultSettingsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  rate429: rate.default(0),
  rate5xx: rate.default(0),
  rateTimeout: rate.default(0),
  rateReject: rate.default(0),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type Fault = 'none' | '429' | '5xx' | 'timeout' | 'reject';

export const NO_FAULTS: FaultSettings = faultSettingsSchema.parse({});

export class FaultInjector {
  private settings: FaultSettings = { ...NO_FAULTS };

  constructor(private readonly random: () => number = Math.random) {}

  get(): FaultSettings {
    return { ...this.settings };
  }

  /** Merges a partial update after validating it; throws a ZodError naming the bad field. */
  set(update: unknown): FaultSettings {
    const partial = faultUpdateSchema.parse(update);
    const next = { ...this.settings, ...partial };
    const total = next.rate429 + next.rate5xx + next.rateTimeout + next.rateReject;
    if (total > 1) throw new RangeError(`fault rates add up to ${total}; at most 1`);
    this.settings = next;
    return this.get();
  }

  reset(): void {
    this.settings = { ...NO_FAULTS };
  }

  /** Draws the fault for one request. */
  decide(): Fault {
    const { rate429, rate5xx, rateTimeout, rateReject } = this.settings;
    const draw = this.random();
    if (draw < rate429) return '429';
    if (draw < rate429 + rate5xx) return '5xx';
    if (draw < rate429 + rate5xx + rateTimeout) return 'timeout';
    if (draw < rate429 + rate5xx + rateTimeout + rateReject) return 'reject';
    return 'none';
  }

  /** Waits for the configured latency. */
  async delay(): Promise<void> {
    if (this.settings.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.settings.latencyMs));
    }
  }
}
