import { describe, expect, it } from 'vitest';
import type { PulledRecord } from '@/server/connectors/connector';
import type { LedgerRow } from './batch-journal';
import { unaccountedRecords } from './record-accounting';

const record = (externalId: string): PulledRecord => ({
  objectType: 'timebill',
  externalId,
  changedAt: '2026-11-20T09:00:00.000Z',
  data: {},
});

const outcome = (externalId: string, settled: LedgerRow['outcome'] = 'delivered'): LedgerRow => ({
  routine: 'billing_eligibility',
  runId: null,
  correlationId: '00000000-0000-4000-8000-000000000000',
  source: { system: 'netsuite', objectType: 'timebill', externalId, changedAt: null },
  step: 'plan',
  outcome: settled,
  startedAt: new Date(),
});

describe('record accounting', () => {
  it('accepts a batch whose every record has exactly one outcome', () => {
    expect(unaccountedRecords([record('1'), record('2')], [outcome('2', 'noop'), outcome('1')])).toBeNull();
    expect(unaccountedRecords([], [])).toBeNull();
  });

  it('names the records left without an outcome, and outcomes no record read', () => {
    expect(unaccountedRecords([record('1'), record('2'), record('3')], [outcome('2')])).toBe(
      '2 of 3 records read have no outcome (timebill 1, timebill 3).',
    );
    expect(unaccountedRecords([record('1')], [outcome('1'), outcome('1', 'exception'), outcome('9')])).toBe(
      '2 outcomes are for no record read (timebill 1, timebill 9).',
    );
  });

  it('words one record as one', () => {
    expect(unaccountedRecords([record('1'), record('2')], [outcome('2'), outcome('7', 'noop')])).toBe(
      '1 of 2 records read has no outcome (timebill 1); 1 outcome is for no record read (timebill 7).',
    );
  });

  it('names ten records and counts the rest', () => {
    const records = Array.from({ length: 25 }, (_, i) => record(String(i + 1)));
    expect(unaccountedRecords(records, [])).toBe(
      `25 of 25 records read have no outcome (${records
        .slice(0, 10)
        .map((r) => `timebill ${r.externalId}`)
        .join(', ')} and 15 more).`,
    );
  });
});
