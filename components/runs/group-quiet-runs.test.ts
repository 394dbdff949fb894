import { describe, expect, it } from 'vitest';
import { groupQuietRuns } from './group-quiet-runs';
import { runStatusView, shownLagSeconds } from './run-status';

const run = (
  id: string,
  over: Partial<{ status: string; recordsRead: number; exceptions: number; error: string }> = {},
) => ({
  id,
  status: 'succeeded',
  recordsRead: 0,
  exceptions: 0,
  error: null as string | null,
  ...over,
});

describe('groupQuietRuns', () => {
  it('folds two or more consecutive runs that read nothing into one row, keeping order', () => {
    const rows = groupQuietRuns([
      run('a'),
      run('b'),
      run('c', { recordsRead: 4 }),
      run('d'),
      run('e', { status: 'failed', error: 'boom' }),
      run('f'),
      run('g'),
      run('h'),
    ]);
    expect(rows.map((r) => (r.kind === 'run' ? r.run.id : r.runs.map((x) => x.id).join('')))).toEqual([
      'ab',
      'c',
      'd',
      'e',
      'fgh',
    ]);
    expect(rows.map((r) => r.kind)).toEqual(['quiet', 'run', 'run', 'run', 'quiet']);
  });

  it('never folds a run that held exceptions or is still running', () => {
    const rows = groupQuietRuns([run('a', { exceptions: 1 }), run('b', { status: 'running' }), run('c')]);
    expect(rows.every((r) => r.kind === 'run')).toBe(true);
  });
});

describe('runStatusView', () => {
  it('says a succeeded run that held exceptions completed with exceptions, in amber', () => {
    expect(runStatusView({ status: 'succeeded', exceptions: 57 })).toEqual({
      label: 'Completed with exceptions',
      tone: 'warning',
    });
    expect(runStatusView({ status: 'succeeded', exceptions: 0 })).toEqual({ label: 'Succeeded', tone: 'success' });
    expect(runStatusView({ status: 'failed', exceptions: 0 }).tone).toBe('danger');
  });

  it('shows no lag for a run that read nothing', () => {
    expect(shownLagSeconds({ recordsRead: 0, lagSeconds: 27_219_600 })).toBeNull();
    expect(shownLagSeconds({ recordsRead: 3, lagSeconds: 90 })).toBe(90);
  });
});
