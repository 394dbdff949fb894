'use client';

import { useQuery } from '@tanstack/react-query';
import { useQueryStates } from 'nuqs';
import { useTRPC } from '@/components/trpc/trpc';
import { Card } from '@/components/ui/card';
import { Field, Input, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import { DASHBOARD_FILTERS, dashboardInput, type DashboardFilterValues } from './dashboard-filters';
import { ExceptionHealthPanels } from './exception-health-panel';
import { HeadlineStrip } from './headline-strip';
import { InvoiceRejectionsPanel } from './invoice-rejections-panel';
import { StuckActivationsPanel } from './stuck-activations-panel';
import { SyncLagPanel } from './sync-lag-panel';
import { UnbilledWorkPanel } from './unbilled-work-panel';

export function Dashboards() {
  const trpc = useTRPC();
  const [filters, setFilters] = useQueryStates(DASHBOARD_FILTERS, { history: 'push' });
  const input = dashboardInput(filters);
  const scope = useQuery(trpc.dashboards.scope.queryOptions(input));
  const set = (key: keyof DashboardFilterValues) => (value: string) => void setFilters({ [key]: value || null });

  return (
    <>
      <PageHeader
        title="Dashboards"
        description="Where money and projects are stuck, by legal entity: each figure reconciles with the records beneath it."
      />
      <Card className="mb-6 print:hidden">
        <form
          aria-label="Dashboard filters"
          className="grid grid-cols-2 gap-3 p-4 md:grid-cols-5"
          onSubmit={(e) => e.preventDefault()}
        >
          <Field id="d-entity" label="Legal entity">
            <Select id="d-entity" value={filters.entity} onChange={(e) => set('entity')(e.target.value)}>
              <option value="">All entities</option>
              {scope.data?.options.entities.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
              {filters.entity && !scope.data?.options.entities.some((e) => e.id === filters.entity) ? (
                <option value={filters.entity}>{filters.entity}</option>
              ) : null}
            </Select>
          </Field>
          <Field id="d-region" label="Region">
            <Select id="d-region" value={filters.region} onChange={(e) => set('region')(e.target.value)}>
              <option value="">All regions</option>
              {scope.data?.options.regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
              {filters.region && !scope.data?.options.regions.includes(filters.region) ? (
                <option value={filters.region}>{filters.region}</option>
              ) : null}
            </Select>
          </Field>
          <Field id="d-from" label="From">
            <Input
              id="d-from"
              type="date"
              value={filters.from || scope.data?.scope?.from || ''}
              onChange={(e) => set('from')(e.target.value)}
            />
          </Field>
          <Field id="d-to" label="To">
            <Input
              id="d-to"
              type="date"
              value={filters.to || scope.data?.scope?.to || ''}
              onChange={(e) => set('to')(e.target.value)}
            />
          </Field>
          <Field id="d-currency" label="Reporting currency">
            <Select id="d-currency" value={filters.currency} onChange={(e) => set('currency')(e.target.value)}>
              <option value="">Default (USD)</option>
              {scope.data?.options.currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
              {filters.currency && !scope.data?.options.currencies.includes(filters.currency) ? (
                <option value={filters.currency}>{filters.currency}</option>
              ) : null}
            </Select>
          </Field>
        </form>
      </Card>

      {scope.isPending ? (
        <Loading label="Loading dashboards…" />
      ) : scope.isError ? (
        <ErrorState message={errorMessage(scope.error)} onRetry={() => void scope.refetch()} />
      ) : scope.data.message ? (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950">
          <p className="font-medium">These dashboards cannot be shown for the filters in the address.</p>
          <p className="mt-1">{scope.data.message}</p>
          <button type="button" className="mt-2 font-medium underline" onClick={() => void setFilters(null)}>
            Clear the filters
          </button>
        </div>
      ) : (
        <>
          <HeadlineStrip input={input} />
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2 print:block print:space-y-6">
            <UnbilledWorkPanel input={input} />
            <StuckActivationsPanel input={input} />
            <SyncLagPanel input={input} />
            <InvoiceRejectionsPanel input={input} />
            <ExceptionHealthPanels input={input} />
          </div>
        </>
      )}
    </>
  );
}
