/**
 * A source system's clock, estimated from the Date headers of its recent answers, and the newest
 * second an incremental read may take records from.
 *
 * Sources stamp changes to the second, so several records share one stamp. A read that took the
 * second still being written, and moved its cursor past it, would never see a record saved later
 * within that second. So a read only takes seconds that have closed on the source's clock — ours
 * may differ from it, hence the estimate.
 */

/** How many recent Date headers the clock is estimated from. */
const READINGS = 16;
/** How far behind the estimated clock a read stops: the current second and one more, since the
 *  estimate itself may lag by up to a second. */
const SETTLE_MS = 1000;

export class SourceClock {
  /** The source's clock minus ours, per reading. A Date header is cut to the second and read after
   *  it was written, so a reading can only be behind; the largest of the recent ones is the closest. */
  private readonly offsets: number[] = [];

  /** Takes one answer's Date header (ignored when absent or unreadable). */
  read(date: string | null | undefined): void {
    const at = Date.parse(date ?? '');
    if (Number.isNaN(at)) return;
    this.offsets.push(at - Date.now());
    if (this.offsets.length > READINGS) this.offsets.shift();
  }

  /** Whether any answer has told the source's time yet. */
  get known(): boolean {
    return this.offsets.length > 0;
  }

  /** The source's time now, by the estimate (ours until an answer has told it). */
  now(): number {
    return Date.now() + (this.offsets.length > 0 ? Math.max(...this.offsets) : 0);
  }

  /** Reads take records stamped strictly before this instant (a whole second). */
  settledBefore(): Date {
    return new Date(Math.floor(this.now() / 1000) * 1000 - SETTLE_MS);
  }
}
