/**
 * The dry run of the open exceptions a published mapping may fix. A publish can affect thousands,
 * so they are replayed a page at a time — each request short, the screen showing how far it got —
 * and the pages' plans are added up into one.
 */
export const AFFECTED_DRY_RUN_PAGE = 50;

export interface DryRunPlanPage<Outcome extends { exceptionId: string } = { exceptionId: string }> {
  summary: { system: string; objectType: string; action: string; count: number }[];
  outcomes: Outcome[];
}

/** One plan of several pages: counts of the same system, object type and action summed, outcomes in order. */
export function mergeDryRunPages<Page extends DryRunPlanPage>(pages: readonly Page[]): Page {
  const summary = new Map<string, Page['summary'][number]>();
  for (const page of pages) {
    for (const line of page.summary) {
      const key = `${line.system}|${line.objectType}|${line.action}`;
      const seen = summary.get(key);
      summary.set(key, seen ? { ...seen, count: seen.count + line.count } : { ...line });
    }
  }
  return { summary: [...summary.values()], outcomes: pages.flatMap((p) => p.outcomes) } as Page;
}

/** Dry-runs every exception, a page after the other, telling `onProgress` how many are done and the plan so far. */
export async function dryRunInPages<Page extends DryRunPlanPage>(
  exceptionIds: readonly string[],
  runPage: (ids: string[]) => Promise<Page>,
  onProgress?: (done: number, plan: Page) => void,
): Promise<Page> {
  const pages: Page[] = [];
  for (let start = 0; start < exceptionIds.length; start += AFFECTED_DRY_RUN_PAGE) {
    const ids = exceptionIds.slice(start, start + AFFECTED_DRY_RUN_PAGE);
    pages.push(await runPage(ids));
    onProgress?.(start + ids.length, mergeDryRunPages(pages));
  }
  return mergeDryRunPages(pages);
}
