import type { Connector, PulledRecord, PullFilter } from '@/server/connectors/connector';

/** Every record of a type as it is now (reference data a run needs whole: projects, customers,
 *  rate cards), those saved in the source's current second included. */
export async function pullAll(connector: Connector, objectType: string, filter?: PullFilter): Promise<PulledRecord[]> {
  const all: PulledRecord[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await connector.pull(objectType, cursor, 1000, filter, { includeUnsettled: true });
    all.push(...page.records);
    if (!page.hasMore || page.records.length === 0) return all;
    cursor = page.nextCursor;
  }
}
