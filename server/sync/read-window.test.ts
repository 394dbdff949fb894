import { describe, expect, it } from 'vitest';
import type { Connector } from '@/server/connectors/connector';
import { readWindow } from './read-window';

/** A source whose cursors are the ISO time they have read to; `listing:` ones cannot be rewound. */
const source = {
  cursorTime: (_type: string, cursor: string) => new Date(cursor.replace('listing:', '')),
  rewind: (_type: string, cursor: string, since: Date) =>
    cursor.startsWith('listing:') ? cursor : since.toISOString(),
} as unknown as Connector;

const SAVED = '2026-11-20T10:00:00.000Z';

describe('read window', () => {
  it('starts the overlap before the watermark, and keeps the watermark until the read passes it', () => {
    const read = readWindow(source, 'timebill', SAVED, { overlapMs: 60_000, rescanFrom: null });
    expect(read.start).toBe('2026-11-20T09:59:00.000Z');
    expect(read.keep('2026-11-20T09:59:30.000Z')).toBe(SAVED);
    expect(read.keep(SAVED)).toBe(SAVED);
    expect(read.keep(null)).toBe(SAVED);
    expect(read.keep('2026-11-20T10:00:01.000Z')).toBe('2026-11-20T10:00:01.000Z');
  });

  it('reaches back to the reconciliation’s start when that is earlier', () => {
    const rescanFrom = new Date('2026-11-13T10:00:00.000Z');
    expect(readWindow(source, 'timebill', SAVED, { overlapMs: 60_000, rescanFrom }).start).toBe(
      rescanFrom.toISOString(),
    );
    // A watermark older than the reconciliation's days is read from, as always.
    expect(
      readWindow(source, 'timebill', SAVED, { overlapMs: 0, rescanFrom: new Date('2026-11-21T00:00:00.000Z') }).start,
    ).toBe(SAVED);
  });

  it('reads on from the watermark without an overlap, from the start when there is none, and where the source cannot go back', () => {
    for (const [saved, overlapMs] of [
      [SAVED, 0],
      [null, 60_000],
      [`listing:${SAVED}`, 60_000],
    ] as const) {
      const read = readWindow(source, 'timebill', saved, { overlapMs, rescanFrom: null });
      expect(read.start).toBe(saved);
      expect(read.keep('2026-11-20T09:00:00.000Z')).toBe('2026-11-20T09:00:00.000Z');
    }
  });
});
