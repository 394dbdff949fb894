import { expect, it } from 'vitest';
import { AFFECTED_DRY_RUN_PAGE, dryRunInPages } from './affected-dry-run';

it('dry-runs every exception a page at a time, adding the pages up and reporting progress after each', async () => {
  const ids = Array.from({ length: 451 }, (_, i) => `exception-${i}`);
  const asked: number[] = [];
  const progress: number[] = [];
  const plan = await dryRunInPages(
    ids,
    async (page) => {
      asked.push(page.length);
      return {
        summary: [
          { system: 'stripe', objectType: 'invoiceitem', action: 'create', count: page.length },
          { system: 'netsuite', objectType: 'timebill', action: 'update', count: 1 },
        ],
        outcomes: page.map((exceptionId) => ({ exceptionId, outcome: 'delivered' as const, reason: null })),
      };
    },
    (done, soFar) => {
      progress.push(done);
      expect(soFar.outcomes).toHaveLength(done);
    },
  );
  expect(asked.every((n) => n <= AFFECTED_DRY_RUN_PAGE)).toBe(true);
  expect(progress.at(-1)).toBe(451);
  expect(plan.outcomes.map((o) => o.exceptionId)).toEqual(ids);
  expect(plan.summary).toEqual([
    { system: 'stripe', objectType: 'invoiceitem', action: 'create', count: 451 },
    { system: 'netsuite', objectType: 'timebill', action: 'update', count: asked.length },
  ]);
});
