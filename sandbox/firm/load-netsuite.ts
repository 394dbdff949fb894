import type pg from 'pg';
import { bulkInsertRecords } from '@/sandbox/netsuite/bulk-insert';
import { ensureNetSuiteSchema } from '@/sandbox/netsuite/netsuite-schema';
import { recordTable, checkSchemaName } from '@/sandbox/netsuite/netsuite-schema';
import { requireRecordType, type NetSuiteRecordType } from '@/sandbox/netsuite/record-types';
import type { Firm, TimeEntry } from './firm-model';
import {
  netsuiteChangeOrders,
  netsuiteCurrencies,
  netsuiteCustomers,
  netsuiteEmployees,
  netsuiteInvoices,
  netsuiteJobs,
  netsuiteMilestones,
  netsuiteRateCards,
  netsuiteRetainerPeriods,
  netsuiteServiceItems,
  netsuiteSubsidiaries,
  netsuiteTimeBillMapper,
  type NetSuiteRecord,
} from './map-netsuite';

export interface SystemLoadOptions {
  schema?: string;
  now?: Date;
  /** Records per bulk call for the large tables. */
  chunkSize?: number;
  log?: (line: string) => void;
}

/** Loads the firm's ERP side; returns rows loaded per record type. */
export async function loadNetSuite(
  pool: pg.Pool,
  firm: Firm,
  options: SystemLoadOptions = {},
): Promise<Record<string, number>> {
  const schema = options.schema;
  await ensureNetSuiteSchema(pool, schema);
  const counts: Record<string, number> = {};
  const insert = async (type: NetSuiteRecordType, records: NetSuiteRecord[]) => {
    for (let start = 0; start < records.length; start += options.chunkSize ?? 20_000) {
      await bulkInsertRecords(pool, type, records.slice(start, start + (options.chunkSize ?? 20_000)), {
        schema,
        now: options.now,
      });
    }
    counts[`netsuite.${type}`] = (counts[`netsuite.${type}`] ?? 0) + records.length;
  };
  // The account's setup records may exist already (a sandbox account comes with them).
  const missing = async (type: NetSuiteRecordType, records: NetSuiteRecord[]) => {
    const table = recordTable(checkSchemaName(schema ?? 'sandbox_netsuite'), requireRecordType(type));
    const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${table}`);
    const existing = new Set(rows.map((r) => Number(r.id)));
    return records.filter((r) => !existing.has(r.id));
  };

  await insert('currency', await missing('currency', netsuiteCurrencies()));
  await insert('subsidiary', await missing('subsidiary', netsuiteSubsidiaries(firm)));
  await insert('serviceitem', await missing('serviceitem', netsuiteServiceItems()));
  await insert('employee', netsuiteEmployees(firm));
  await insert('customer', netsuiteCustomers(firm));
  await insert('job', netsuiteJobs(firm));
  await insert('customrecord_sw_ratecard', netsuiteRateCards(firm));
  await insert('projecttask', netsuiteMilestones(firm));
  await insert('customrecord_sw_changeorder', netsuiteChangeOrders(firm));
  await insert('customrecord_sw_retainer_period', netsuiteRetainerPeriods(firm));
  await insert('invoice', netsuiteInvoices(firm));
  counts['netsuite.timebill'] = await loadTimeBills(pool, firm, options);
  return counts;
}

/**
 * Streams the time entries into `timebill` chunk by chunk. The next chunk is generated while
 * the database writes the previous one, so generation and loading use both cores.
 */
async function loadTimeBills(pool: pg.Pool, firm: Firm, options: SystemLoadOptions): Promise<number> {
  const chunkSize = options.chunkSize ?? 20_000;
  const toRecord = netsuiteTimeBillMapper(firm);
  const entries: Iterator<TimeEntry> = firm.timeEntries();
  const nextChunk = (): NetSuiteRecord[] => {
    const chunk: NetSuiteRecord[] = [];
    for (let item = entries.next(); !item.done; item = entries.next()) {
      chunk.push(toRecord(item.value));
      if (chunk.length === chunkSize) break;
    }
    return chunk;
  };
  let loaded = 0;
  let lastReport = 0;
  for (let chunk = nextChunk(); chunk.length > 0;) {
    const writing = bulkInsertRecords(pool, 'timebill', chunk, { schema: options.schema, now: options.now });
    loaded += chunk.length;
    chunk = nextChunk();
    await writing;
    if (loaded - lastReport >= 200_000) {
      lastReport = loaded;
      options.log?.(`time bills: ${loaded.toLocaleString('en-US')} of ${firm.options.scale.toLocaleString('en-US')}`);
    }
  }
  return loaded;
}
