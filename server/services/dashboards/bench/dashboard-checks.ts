import type { DashboardScope } from '../dashboard-scope';
import { dashboardHeadlines } from '../dashboard-headlines';
import { exceptionHealth } from '../exception-health';
import { invoiceRejections } from '../invoice-rejections';
import { scopeOrRefuse } from '../scoped-dashboard';
import { stuckActivations } from '../stuck-activations';
import { syncLag } from '../sync-lag';
import { unbilledWork } from '../unbilled-work';
import {
  rawExceptionHealth,
  rawHeadlines,
  rawInvoiceRejections,
  rawStuckActivations,
  rawSyncLag,
  rawUnbilledWork,
  type Differences,
} from './raw-dashboard-figures';

export interface DashboardCheck {
  name: string;
  /** The dashboard's server work as its procedure does it: the scope resolved, then the service. */
  run: () => Promise<unknown>;
  /** The same figures straight from the raw tables: what differs from `run`'s result. */
  raw: (result: never) => Promise<Differences>;
}

/** Every dashboard as of `now`, each with its check against the raw tables. */
export function dashboardChecks(scope: DashboardScope, now: Date, slaHours: number): DashboardCheck[] {
  const current = () => scopeOrRefuse({}, now);
  return [
    {
      name: 'headlines',
      run: async () => dashboardHeadlines({ scope: await current(), now, slaHours }),
      raw: (r) => rawHeadlines(scope, now, slaHours, r),
    },
    {
      name: 'stuck activations',
      run: async () => stuckActivations({ scope: await current(), now, slaHours }),
      raw: (r) => rawStuckActivations(scope, now, slaHours, r),
    },
    {
      name: 'sync lag 24h',
      run: async () => syncLag({ scope: await current(), now, window: '24h' }),
      raw: (r) => rawSyncLag(scope, now, '24h', r),
    },
    {
      name: 'sync lag 7d',
      run: async () => syncLag({ scope: await current(), now, window: '7d' }),
      raw: (r) => rawSyncLag(scope, now, '7d', r),
    },
    {
      name: 'invoice rejections',
      run: async () => invoiceRejections({ scope: await current() }),
      raw: (r) => rawInvoiceRejections(scope, r),
    },
    {
      name: 'exception health',
      run: async () => exceptionHealth({ scope: await current(), now }),
      raw: (r) => rawExceptionHealth(scope, now, r),
    },
    {
      name: 'unbilled work',
      run: async () => unbilledWork({ scope: await current(), now }),
      raw: (r) => rawUnbilledWork(scope, r),
    },
  ];
}
