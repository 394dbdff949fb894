import type { PulledRecord } from '@/server/connectors/connector';
import type { LedgerRow } from './batch-journal';

/** How many records a run's error names before it only counts the rest. */
const NAMED = 10;

function named(records: string[]): string {
  const more = records.length - NAMED;
  return records.slice(0, NAMED).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/**
 * Holds a batch's outcomes against the records the source returned for it: each record read ends
 * with exactly one. Returns what does not add up, worded for the run's error, or null when all do.
 * Counting from the records read, not from the outcomes, is what lets a lost record show.
 */
export function unaccountedRecords(records: readonly PulledRecord[], ledger: readonly LedgerRow[]): string | null {
  const outcomes = new Map<string, number>();
  for (const row of ledger) {
    const key = `${row.source.objectType} ${row.source.externalId}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const without: string[] = [];
  for (const record of records) {
    const key = `${record.objectType} ${record.externalId}`;
    const left = outcomes.get(key) ?? 0;
    if (left === 0) without.push(key);
    else outcomes.set(key, left - 1);
  }
  const unread = [...outcomes].flatMap(([key, n]) => Array.from({ length: n }, () => key));
  const problems = [
    ...(without.length
      ? [
          `${without.length} of ${records.length} records read ${without.length === 1 ? 'has' : 'have'} no outcome (${named(without)})`,
        ]
      : []),
    ...(unread.length
      ? [
          `${unread.length} ${unread.length === 1 ? 'outcome is' : 'outcomes are'} for no record read (${named(unread)})`,
        ]
      : []),
  ];
  return problems.length ? `${problems.join('; ')}.` : null;
}
