import { describe, expect, it } from 'vitest';
import { createActivitySummary } from './activity-summary';

describe('activity summary', () => {
  it('folds rounds into one line with counts per action and the last failure, then starts again', () => {
    const summary = createActivitySummary();
    expect(summary.take()).toBeNull();
    summary.record({
      tick: 1,
      outcomes: [
        { action: 'closeDeal', system: 'salesforce', ok: true, detail: 'won 006A' },
        { action: 'payInvoice', system: 'stripe', ok: false, detail: 'injected 503' },
      ],
    });
    summary.record({
      tick: 2,
      outcomes: [
        { action: 'closeDeal', system: 'salesforce', ok: true, detail: 'won 006B' },
        { action: 'payInvoice', system: 'stripe', ok: true, detail: 'paid in_1' },
      ],
    });
    expect(summary.take()).toBe(
      'simulator: 2 rounds: 2 deals won, 1 invoices paid (1 failed); last failure: payInvoice: injected 503',
    );
    expect(summary.take()).toBeNull();
  });
});
