import { describe, expect, it } from 'vitest';
import { csvFileName, toCsv, type ChartColumn } from './chart-csv';

interface Row {
  entity: string;
  amount: string;
  note: string;
}
const columns: ChartColumn<Row>[] = [
  { header: 'Legal entity', cell: (r) => r.entity },
  { header: 'Amount (GBP)', cell: (r) => r.amount, numeric: true },
  { header: 'Note', cell: (r) => r.note },
];

describe('toCsv', () => {
  it('writes the header line, then each row in order, cells exactly as given', () => {
    const csv = toCsv(columns, [
      { entity: 'Acme UK', amount: '1250.50', note: 'late' },
      { entity: 'Acme US', amount: '0.00', note: '' },
    ]);
    expect(csv).toBe('Legal entity,Amount (GBP),Note\r\nAcme UK,1250.50,late\r\nAcme US,0.00,\r\n');
  });

  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    const csv = toCsv(columns, [{ entity: 'Acme, "UK"', amount: '=1+1', note: 'two\nlines' }]);
    expect(csv.split('\r\n')[1]).toBe(`"Acme, ""UK""",'=1+1,"two\nlines"`);
  });

  it('an empty table is its header line alone', () => {
    expect(toCsv(columns, [])).toBe('Legal entity,Amount (GBP),Note\r\n');
  });
});

describe('csvFileName', () => {
  it('names the file after the chart', () => {
    expect(csvFileName('Sync lag by entity')).toBe('sync-lag-by-entity.csv');
    expect(csvFileName('—')).toBe('chart.csv');
  });
});
