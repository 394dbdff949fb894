import type { Connector, PulledRecord, PullFilter } from '@/server/connectors/connector';

/** Every record of a type (reference data a run needs whole: projects, customers, rate cards). */
export async function pullAll(connector: Connector, objectType: string, filter?: PullFilter): Promise<PulledRecord[]> {
  const all: PulledRecord[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await connector.pull(objectType, cursor, 1000, filter);
    all.push(...page.records);
    if (!page.hasMore || page.records.length === 0) return all;
    cursor = page.nextCursor;
  }
}
