import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRuntimeSetting } from '@/env';
import type { Connector, UpsertInput } from '@/server/connectors/connector';
import { db } from '@/server/db/client';
import { createScratchDatabase } from '@/test/scratch-database';
import { loadCanonical, recordCanonical, withUncommittedBatches } from '../canonical-store';
import type { RetryPolicy } from '../retry';
import { BatchJournal } from './batch-journal';
import { Deliverer, type WriteRequest } from './deliverer';

/**
 * The runner commits one batch while it processes the next. These tests pin down what makes that
 * safe: a batch sees what the batch before it delivered and recorded, before that one commits.
 */
let database: Awaited<ReturnType<typeof createScratchDatabase>>;
const POLICY: RetryPolicy = { budget: 0, baseDelayMs: 1, maxDelayMs: 1 };

beforeAll(async () => {
  database = await createScratchDatabase({ migrated: true });
  setRuntimeSetting('DATABASE_URL', database.url);
}, 60_000);
afterAll(async () => {
  await db().$disconnect();
  await database?.drop();
});

/** A target that records each write and names what it creates in order. */
function recordingTarget() {
  const writes: { input: UpsertInput; idempotencyKey: string }[] = [];
  const connector: Connector = {
    system: 'stripe',
    pull: () => Promise.reject(new Error('not a source')),
    rewind: () => {
      throw new Error('not a source');
    },
    cursorTime: () => {
      throw new Error('not a source');
    },
    get: () => Promise.resolve(null),
    readCurrent: () => Promise.resolve([]),
    upsert: (_type, input, idempotencyKey) => {
      writes.push({ input, idempotencyKey });
      return Promise.resolve({ externalId: input.targetId ?? `ii_${writes.length}`, created: !input.targetId });
    },
    classifyError: () => ({ class: 'business', code: 'unexpected', message: 'unexpected' }),
  };
  return { connector, writes };
}

function itemWrite(connector: Connector, canonicalId: string, contentHash: string): WriteRequest {
  return {
    connector,
    targetType: 'invoiceitem',
    canonicalType: 'TimeEntry',
    canonicalId,
    contentHash,
    key: canonicalId,
    fields: { amount: 100 },
  };
}

describe('a batch processed while the one before it commits', () => {
  it('counts what the earlier batch delivered as delivered and updates what it created', async () => {
    const { connector, writes } = recordingTarget();
    const canonicalId = randomUUID();
    const write = itemWrite(connector, canonicalId, 'first');

    const first = new BatchJournal();
    const firstSink = new Deliverer('billing_eligibility', first, POLICY);
    await firstSink.prepare([write]);
    const created = await firstSink.write(write);
    expect(created).toMatchObject({ ok: true, targetId: 'ii_1', created: true, alreadyDelivered: false });

    // Not committed yet: on its own, the next batch would find the key pending and write again.
    const unaware = new Deliverer('billing_eligibility', new BatchJournal(), POLICY);
    await unaware.prepare([write]);
    expect(await unaware.write(write)).toMatchObject({ ok: true, alreadyDelivered: false });
    expect(writes).toHaveLength(2);

    const second = new BatchJournal();
    const secondSink = new Deliverer('billing_eligibility', second, POLICY, [first]);
    await secondSink.prepare([write]);
    expect(await secondSink.write(write)).toMatchObject({ ok: true, targetId: 'ii_1', alreadyDelivered: true });
    expect(writes).toHaveLength(2);
    expect(second.delivered).toEqual([]);

    // New content for the same record: an update of the object the earlier batch created.
    const changed = itemWrite(connector, canonicalId, 'second');
    await secondSink.prepare([changed]);
    expect(await secondSink.write(changed)).toMatchObject({ ok: true, targetId: 'ii_1', created: false });
    expect(writes.at(-1)!.input.targetId).toBe('ii_1');

    // Once committed, the database says the same to a batch that is given no journals.
    await first.commit();
    const later = new Deliverer('billing_eligibility', new BatchJournal(), POLICY);
    await later.prepare([write]);
    expect(await later.write(write)).toMatchObject({ ok: true, targetId: 'ii_1', alreadyDelivered: true });
    expect(writes).toHaveLength(3);
  });

  it('loads the canonical records the earlier batch recorded, as the database will hold them', async () => {
    const id = randomUUID();
    const first = new BatchJournal();
    const hash = recordCanonical(first, 'TimeEntry', {
      id,
      legalEntityId: 'US',
      schemaVersion: 1,
      hours: '7.5',
      role: 'Analyst',
    });

    expect((await loadCanonical([id])).has(id)).toBe(false);
    const seen = await withUncommittedBatches([first], () => loadCanonical([id]));
    expect(seen.get(id)).toEqual({
      contentHash: hash,
      data: { id, legalEntityId: 'US', schemaVersion: 1, hours: '7.5', role: 'Analyst' },
    });

    await first.commit();
    expect((await loadCanonical([id])).get(id)).toEqual(seen.get(id));
  });
});
