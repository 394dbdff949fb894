import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { AppError } from '@/server/errors';
import { recordTrace } from './record-trace';
import { resolveTraceKey } from './resolve-trace-key';
import { runRecords } from './run-records';

// The test database is shared: every id here carries this file's own suffix.
const tag = randomUUID().slice(0, 8);
const key = randomUUID();
const otherKey = randomUUID();
const ids = {
  opportunity: `OPP-${tag}`,
  project: `JOB-${tag}`,
  time: `TB-${tag}`,
  milestone: `PT-${tag}`,
  item: `II-${tag}`,
  invoice: `IN-${tag}`,
  erpInvoice: `INV-${tag}`,
};
const held = randomUUID();
const billingRun = randomUUID();
let exceptionId: string;
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 2, 9, minutes));

type Row = Parameters<ReturnType<typeof db>['ledgerEntry']['create']>[0]['data'];
const row = (
  r: Partial<Row> & Pick<Row, 'routine' | 'sourceSystem' | 'sourceType' | 'sourceId' | 'outcome'>,
  minute: number,
): Row => ({
  correlationId: randomUUID(),
  traceKey: key,
  step: 'record',
  startedAt: at(minute),
  finishedAt: at(minute),
  ...r,
});

beforeAll(async () => {
  await db().ledgerEntry.createMany({
    data: [
      row(
        {
          routine: 'project_activation',
          sourceSystem: 'salesforce',
          sourceType: 'Opportunity',
          sourceId: ids.opportunity,
          outcome: 'delivered',
          targetSystem: 'netsuite',
          targetType: 'job',
          targetId: ids.project,
        },
        0,
      ),
      row(
        {
          routine: 'billing_eligibility',
          sourceSystem: 'netsuite',
          sourceType: 'timebill',
          sourceId: ids.time,
          runId: billingRun,
          outcome: 'delivered',
          targetSystem: 'stripe',
          targetType: 'invoiceitem',
          targetId: ids.item,
        },
        30,
      ),
      row(
        {
          routine: 'billing_eligibility',
          sourceSystem: 'netsuite',
          sourceType: 'projecttask',
          sourceId: ids.milestone,
          outcome: 'exception',
          reason: 'TAX_CODE_MISSING: no tax code',
          correlationId: held,
          runId: billingRun,
        },
        31,
      ),
      row(
        {
          routine: 'invoice_status',
          sourceSystem: 'stripe',
          sourceType: 'invoice',
          sourceId: ids.invoice,
          outcome: 'delivered',
          targetSystem: 'netsuite',
          targetType: 'invoice',
          targetId: ids.erpInvoice,
        },
        45,
      ),
      row(
        {
          routine: 'invoice_status',
          sourceSystem: 'stripe',
          sourceType: 'invoice',
          sourceId: ids.invoice,
          outcome: 'noop',
          reason: 'no change',
        },
        50,
      ),
      // Another deal's record, never part of this trace.
      row(
        {
          routine: 'billing_eligibility',
          sourceSystem: 'netsuite',
          sourceType: 'timebill',
          sourceId: `TB-other-${tag}`,
          outcome: 'delivered',
          traceKey: otherKey,
        },
        32,
      ),
    ],
  });
  exceptionId = (
    await db().syncException.create({
      data: {
        fingerprint: randomUUID(),
        kind: 'business',
        code: 'TAX_CODE_MISSING',
        routine: 'billing_eligibility',
        objectType: 'Milestone',
        externalIds: [{ system: 'netsuite', objectType: 'projecttask', externalId: ids.milestone }],
        message: 'The customer has no tax code.',
        payload: {},
        correlationId: held,
        team: 'finance',
        priority: 'normal',
      },
    })
  ).id;
});

describe('record trace', () => {
  it('follows the deal stage by stage with the hop times, external ids and the exception on the way', async () => {
    const trace = await recordTrace(key);
    expect(trace.title).toBe(`Opportunity ${ids.opportunity}`);
    expect(trace.stages.map((s) => s.stage)).toEqual(['deal', 'work', 'invoice']);
    const [deal, work, invoice] = trace.stages;
    expect(deal!.records[0]!.targets).toEqual([{ system: 'netsuite', objectType: 'job', externalId: ids.project }]);
    expect(deal!.hopMs).toBeNull();
    expect(work!.hopMs).toBe(30 * 60_000);
    expect(work!.counts).toEqual({ delivered: 1, noop: 0, exception: 1 });
    expect(work!.records.map((r) => r.source.externalId).sort()).toEqual([ids.milestone, ids.time].sort());
    expect(invoice!.hopMs).toBe(15 * 60_000);
    // The invoice's latest outcome, seen twice, still written once to the ERP.
    expect(invoice!.records).toMatchObject([
      { attempts: 2, outcome: 'noop', targets: [{ externalId: ids.erpInvoice }] },
    ]);
    expect(trace.exceptions).toMatchObject([{ id: exceptionId, code: 'TAX_CODE_MISSING', status: 'open' }]);
    expect(JSON.stringify(trace)).not.toContain(`TB-other-${tag}`);
  });

  it('finds the trace by any external id read or written, by an exception, or by its key', async () => {
    for (const q of [ids.opportunity, ids.project, ids.time, ids.item, ids.invoice, ids.erpInvoice, ` ${ids.time} `])
      expect(await resolveTraceKey(q)).toBe(key);
    expect(await resolveTraceKey(exceptionId)).toBe(key);
    expect(await resolveTraceKey(key)).toBe(key);
  });

  it('says clearly when nothing has the id, and when there is nothing to look for', async () => {
    await expect(resolveTraceKey(`NOPE-${tag}`)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(`NOPE-${tag}`),
    });
    await expect(resolveTraceKey(randomUUID())).rejects.toBeInstanceOf(AppError);
    await expect(resolveTraceKey('  ')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(recordTrace(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('run records', () => {
  it('lists what a run settled, each with its trace key', async () => {
    expect(await runRecords(billingRun)).toMatchObject([
      { source: { externalId: ids.time }, target: { externalId: ids.item }, outcome: 'delivered', traceKey: key },
      { source: { externalId: ids.milestone }, target: null, outcome: 'exception', traceKey: key },
    ]);
    expect(await runRecords(randomUUID())).toEqual([]);
  });
});
