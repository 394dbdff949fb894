import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every query that refetches by itself must say so, or an open console never goes idle.
function pollingComponents(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return pollingComponents(file);
    return /\.tsx?$/.test(entry.name) &&
      !entry.name.endsWith('.test.ts') &&
      readFileSync(file, 'utf8').includes('refetchInterval')
      ? [file]
      : [];
  });
}

describe('polling components', () => {
  const files = pollingComponents(path.join(process.cwd(), 'components'));

  it('finds the components that poll', () => {
    expect(files.map((file) => path.relative(process.cwd(), file)).sort()).toEqual([
      'components/connections/connections-admin.tsx',
      'components/exceptions/bulk-progress.tsx',
      'components/runs/routine-schedules.tsx',
      'components/runs/run-detail.tsx',
      'components/runs/sync-runs.tsx',
      'components/shell/notification-bell.tsx',
    ]);
  });

  it.each(files.map((file) => [path.relative(process.cwd(), file), file]))(
    '%s marks each polling query as a background request',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      const polls = source.match(/refetchInterval/g)?.length ?? 0;
      const marked = source.match(/\.\.\.backgroundRequest/g)?.length ?? 0;
      expect(marked).toBeGreaterThanOrEqual(polls);
    },
  );
});
