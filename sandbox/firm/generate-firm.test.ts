import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateFirm } from './generate-firm';
import { serializeFirm } from './serialize-firm';
import { dayNumber } from './dates';
import { parseMinor } from './money';
import { createRandom } from './prng';
import type { Firm } from './firm-model';

const AS_OF = '2026-03-18';
const SCALE = 2_000;

function digest(firm: Firm): string {
  const hash = createHash('sha256');
  for (const line of serializeFirm(firm)) hash.update(line).update('\n');
  return hash.digest('hex');
}

describe('the seeded firm', () => {
  const firm = generateFirm({ seed: 7, scale: SCALE, asOf: AS_OF });

  it('is byte-identical for the same seed and differs for another', () => {
    const again = digest(generateFirm({ seed: 7, scale: SCALE, asOf: AS_OF }));
    expect(digest(firm)).toBe(again);
    expect(digest(generateFirm({ seed: 8, scale: SCALE, asOf: AS_OF }))).not.toBe(again);
  });

  it('forks independent random streams', () => {
    const a = createRandom(1, 'x');
    const b = createRandom(1, 'y');
    const draws = (r: ReturnType<typeof createRandom>) => Array.from({ length: 5 }, () => r.int(0, 1_000_000));
    expect(draws(a)).not.toEqual(draws(b));
    expect(draws(createRandom(1, 'x'))).toEqual(draws(createRandom(1, 'x')));
  });

  it('streams exactly `scale` approved entries in quarter hours, priced from the rate card', () => {
    const rates = new Map(firm.rateCards.map((r) => [`${r.projectId}/${r.roleId}`, r.rate]));
    const projects = new Map(firm.projects.map((p) => [p.id, p]));
    const asOf = dayNumber(AS_OF);
    let count = 0;
    let previousN = 0;
    for (const entry of firm.timeEntries()) {
      count++;
      expect(entry.n).toBe(previousN + 1);
      previousN = entry.n;
      expect(entry.status).toBe('approved');
      expect(entry.hours).toMatch(/^\d+\.(00|25|50|75)$/);
      expect(dayNumber(entry.date)).toBeLessThanOrEqual(asOf);
      expect(dayNumber(entry.date)).toBeGreaterThan(asOf - 190);
      const project = projects.get(entry.projectId)!;
      expect(project.activatedDate).not.toBeNull();
      expect(entry.currency).toBe(project.currency);
      expect(entry.rate).toBe(rates.get(`${entry.projectId}/${entry.roleId}`) ?? null);
      if (entry.rate !== null) {
        expect(parseMinor(entry.amount!) * 100).toBe(parseMinor(entry.rate) * parseMinor(entry.hours));
      }
    }
    expect(count).toBe(SCALE);
  });

  it('has the shape of a consulting firm', () => {
    expect(firm.entities.map((e) => [e.id, e.currency, e.taxRatePercent])).toEqual([
      ['US', 'USD', '0'],
      ['UK', 'GBP', '20'],
      ['DE', 'EUR', '19'],
    ]);
    expect(firm.accounts.length).toBeGreaterThanOrEqual(200);
    expect(firm.opportunities.length).toBeGreaterThanOrEqual(1000);
    const won = firm.opportunities.filter((o) => o.stage === 'Closed Won');
    expect(won.length / firm.opportunities.length).toBeGreaterThan(0.25);
    expect(firm.opportunities.some((o) => o.stage === 'Closed Lost')).toBe(true);
    expect(firm.projects).toHaveLength(won.length);
    const pending = firm.projects.filter((p) => p.status === 'pending_activation');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.length).toBeLessThan(firm.projects.length / 10);
    expect(new Set(firm.invoices.map((i) => i.status))).toEqual(new Set(['draft', 'open', 'paid', 'void']));
    expect(firm.payments).toHaveLength(firm.invoices.filter((i) => i.status === 'paid').length);
    expect(firm.milestones.some((m) => m.status === 'completed')).toBe(true);
    expect(firm.changeOrders.some((c) => c.status === 'approved')).toBe(true);
    expect(firm.retainers.length).toBeGreaterThan(0);
    for (const invoice of firm.invoices) {
      const lines = invoice.lines.reduce((sum, line) => sum + parseMinor(line.amount), 0);
      expect(lines).toBe(parseMinor(invoice.subtotal));
      expect(parseMinor(invoice.subtotal) + parseMinor(invoice.tax)).toBe(parseMinor(invoice.total));
    }
  });

  it('plants each problem once or twice and records where', () => {
    const kinds = firm.plantedProblems.map((p) => p.kind).sort();
    expect(kinds).toEqual([
      'CURRENCY_MISMATCH',
      'DUPLICATE_ACCOUNT',
      'INVOICE_REJECTED',
      'RATE_CARD_MISSING',
      'TAX_CODE_MISSING',
      'TAX_CODE_MISSING',
    ]);
    const ref = (kind: string, type: string) =>
      firm.plantedProblems
        .filter((p) => p.kind === kind)
        .flatMap((p) => p.refs.filter((r) => r.type === type).map((r) => r.id));

    for (const accountId of ref('TAX_CODE_MISSING', 'account')) {
      expect(firm.accounts.find((a) => a.id === accountId)?.taxRegistration).toBeNull();
    }
    expect(firm.accounts.filter((a) => a.taxRegistration === null)).toHaveLength(2);

    const [ratelessId] = ref('RATE_CARD_MISSING', 'project');
    expect(firm.projects.find((p) => p.id === ratelessId)?.activatedDate).not.toBeNull();
    expect(firm.rateCards.some((r) => r.projectId === ratelessId)).toBe(false);
    expect([...firm.timeEntries()].some((e) => e.projectId === ratelessId && e.rate === null)).toBe(true);

    const [mismatchId] = ref('CURRENCY_MISMATCH', 'opportunity');
    const mismatch = firm.opportunities.find((o) => o.id === mismatchId)!;
    expect(firm.entities.find((e) => e.id === mismatch.entityId)?.currency).not.toBe(mismatch.currency);
    expect(
      firm.opportunities.filter((o) => o.currency !== firm.entities.find((e) => e.id === o.entityId)?.currency),
    ).toHaveLength(1);

    const [originalId, copyId] = ref('DUPLICATE_ACCOUNT', 'account');
    const original = firm.accounts.find((a) => a.id === originalId)!;
    const copy = firm.accounts.find((a) => a.id === copyId)!;
    expect(copy.name).toBe(original.name);
    expect(copy.duplicateOf).toBe(original.id);
    expect(new Set(firm.accounts.map((a) => a.name)).size).toBe(firm.accounts.length - 1);

    const [rejectedInvoiceId] = ref('INVOICE_REJECTED', 'invoice');
    const rejected = firm.invoices.find((i) => i.id === rejectedInvoiceId)!;
    expect(rejected.status).toBe('draft');
    const badZip = firm.accounts.filter((a) => a.country === 'US' && !/^\d{5}$/.test(a.billingAddress.postalCode));
    expect(badZip.map((a) => a.id)).toEqual([rejected.accountId]);
    expect(firm.invoices.filter((i) => i.accountId === rejected.accountId)).toEqual([rejected]);
  });

  it('links billed time to its invoice and leaves recent work unbilled', () => {
    const invoiceIds = new Set(firm.invoices.map((i) => i.id));
    let billed = 0;
    let unbilled = 0;
    for (const entry of firm.timeEntries()) {
      if (entry.invoiceId === null) unbilled++;
      else {
        billed++;
        expect(invoiceIds.has(entry.invoiceId)).toBe(true);
        expect(entry.billable).toBe(true);
      }
    }
    expect(billed).toBeGreaterThan(0);
    expect(unbilled).toBeGreaterThan(0);
  });

  it('refuses scales outside 0 to 1,000,000', () => {
    expect(() => generateFirm({ scale: 1_000_001, asOf: AS_OF })).toThrow(/scale/);
    expect(() => generateFirm({ scale: 1.5, asOf: AS_OF })).toThrow(/scale/);
  });
});
