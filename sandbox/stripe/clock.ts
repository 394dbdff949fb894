/**
 * The emulator's time: the machine's, moved by an offset the control API sets, so a test can let
 * a day pass and see Stripe forget its idempotency keys. Objects, events and key expiry read it;
 * webhook signatures keep the machine's time, since the receiver checks them against its own.
 */
import { z } from 'zod';

const clockUpdateSchema = z.union([
  z
    .object({
      offsetSeconds: z
        .number()
        .int()
        .min(-10 * 365 * 86_400)
        .max(10 * 365 * 86_400),
    })
    .strict(),
  z.object({ now: z.iso.datetime({ offset: true }) }).strict(),
]);

export interface ClockReading {
  now: string;
  offsetSeconds: number;
}

export class SandboxClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Unix seconds, as Stripe stamps objects. */
  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  get(): ClockReading {
    return { now: this.now().toISOString(), offsetSeconds: Math.round(this.offsetMs / 1000) };
  }

  /** `{offsetSeconds}` from the machine's time, or `{now}` (ISO 8601); throws a ZodError otherwise. */
  set(update: unknown): ClockReading {
    const parsed = clockUpdateSchema.parse(update);
    this.offsetMs = 'now' in parsed ? Date.parse(parsed.now) - Date.now() : parsed.offsetSeconds * 1000;
    return this.get();
  }
}
