import type { PulledRecord } from '@/server/connectors/connector';
import { projectTraceKey } from '../pipeline/trace-keys';
import { text } from '../pipeline/source-values';
import { ReferenceCache, type ReferenceType } from '../reference-cache';
import { suiteqlBoolean } from './suiteql-values';

export const BILLING_TYPE_ROUTINE: Record<string, 'time_and_materials' | 'fixed_fee' | 'retainer'> = {
  TM: 'time_and_materials',
  FBM: 'fixed_fee',
  FBI: 'retainer',
};

export const PROJECTS: ReferenceType = { objectType: 'job', parentField: 'parent', subsidiaryField: 'subsidiary' };
export const CUSTOMERS: ReferenceType = { objectType: 'customer', subsidiaryField: 'subsidiary' };
export const RATE_CARDS: ReferenceType = {
  objectType: 'customrecord_sw_ratecard',
  parentField: 'custrecord_sw_rc_project',
};

export interface Job {
  id: string;
  name: string;
  customerId: string;
  currency: string | undefined;
  billingModel: 'time_and_materials' | 'fixed_fee' | 'retainer';
  /** The deal's trace key when the project came from a CRM opportunity, else the project's own. */
  traceKey: string;
}

export interface Customer {
  id: string;
  name: string;
  email: string | null;
  taxRegistration: string | null;
}

export interface Rate {
  rate: string;
  currency: string | undefined;
}

function toJob(r: PulledRecord): Job {
  return {
    id: r.externalId,
    name: text(r.data, 'companyname') ?? `Project ${r.externalId}`,
    customerId: text(r.data, 'parent') ?? '',
    currency: text(r.data, 'currency'),
    billingModel: BILLING_TYPE_ROUTINE[text(r.data, 'jobbillingtype') ?? 'TM'] ?? 'time_and_materials',
    traceKey: projectTraceKey(r),
  };
}

function toCustomer(r: PulledRecord): Customer {
  return {
    id: r.externalId,
    name: text(r.data, 'companyname') ?? `Customer ${r.externalId}`,
    email: text(r.data, 'email') ?? null,
    taxRegistration: text(r.data, 'vatregnumber') ?? null,
  };
}

/** A rate card's project, role and rate, or null when it is inactive or lacks one of them. */
export function activeRateCard(
  r: PulledRecord,
): { project: string; role: string; rate: string; currency: string | undefined } | null {
  const project = text(r.data, 'custrecord_sw_rc_project');
  const role = text(r.data, 'custrecord_sw_rc_role');
  const rate = text(r.data, 'custrecord_sw_rc_rate');
  if (suiteqlBoolean(text(r.data, 'isinactive')) || !project || !role || !rate) return null;
  return { project, role, rate, currency: text(r.data, 'custrecord_sw_rc_currency') };
}

/**
 * The projects, customers and rate cards billing needs for one subsidiary: the connection's
 * reference cache is brought up to date once per run, then each batch loads only the projects
 * its records name (with their customers and rate cards) that an earlier batch did not.
 */
export class BillingReference {
  readonly jobs = new Map<string, Job>();
  readonly customers = new Map<string, Customer>();
  /** `project|role` → rate. */
  readonly rates = new Map<string, Rate>();
  private readonly looked = new Set<string>();

  private constructor(
    readonly cache: ReferenceCache,
    readonly subsidiary: string,
  ) {}

  /** Refreshes the cache from the source: only what changed since the last run is read. */
  static async open(cache: ReferenceCache, subsidiary: string): Promise<BillingReference> {
    // One after another: each refresh holds a database connection while it reads the source.
    for (const type of [PROJECTS, CUSTOMERS, RATE_CARDS]) await cache.refresh(type);
    return new BillingReference(cache, subsidiary);
  }

  /** Loads these projects of the subsidiary, their customers and rate cards, where not loaded yet. */
  async load(projectIds: Iterable<string>): Promise<void> {
    const wanted = [...new Set(projectIds)].filter((id) => id && !this.looked.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) this.looked.add(id);
    const jobs = (await this.cache.byIds(PROJECTS.objectType, wanted, this.subsidiary)).map(toJob);
    for (const job of jobs) this.jobs.set(job.id, job);
    const customerIds = jobs.map((j) => j.customerId).filter((id) => id && !this.customers.has(id));
    const [customers, cards] = await Promise.all([
      this.cache.byIds(CUSTOMERS.objectType, customerIds, this.subsidiary),
      this.cache.byParents(
        RATE_CARDS.objectType,
        jobs.map((j) => j.id),
      ),
    ]);
    for (const r of customers) this.customers.set(r.externalId, toCustomer(r));
    // In the source's order of change, so the newest of two cards for one role wins.
    for (const r of cards) {
      const card = activeRateCard(r);
      if (card) this.rates.set(`${card.project}|${card.role}`, { rate: card.rate, currency: card.currency });
    }
  }
}
