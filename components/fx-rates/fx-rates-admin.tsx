'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { QueryStates } from '@/components/ui/query-states';
import { EmptyState } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import type { AppRouter } from '@/server/api/root';

type Rate = inferRouterOutputs<AppRouter>['fxRates']['list'][number];

/** The dated exchange rates the dashboards convert with; admins add and correct them. */
export function FxRatesAdmin({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const rates = useQuery(trpc.fxRates.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.fxRates.list.queryKey() });
  const remove = useMutation(
    trpc.fxRates.remove.mutationOptions({
      onSuccess: () => (toast.success('Rate removed.'), refresh()),
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <>
      <PageHeader
        title="Exchange rates"
        description="What the dashboards convert each entity's amounts with: the latest rate of a pair dated on or before the day shown. Each figure is converted once from its exact total and rounded half-even to the cent."
      />
      {canEdit ? <AddRateForm onSaved={refresh} /> : null}
      <Card>
        <QueryStates
          query={rates}
          loadingLabel="Loading exchange rates…"
          empty={
            <EmptyState title="No exchange rates yet: the dashboards show amounts in other currencies unconverted." />
          }
        >
          {(rows) => (
            <Table aria-label="Exchange rates">
              <thead className="bg-slate-50">
                <tr>
                  <Th>From</Th>
                  <Th>To</Th>
                  <Th>In force from</Th>
                  <Th className="text-right">Rate</Th>
                  <Th>Set by</Th>
                  {canEdit ? (
                    <Th>
                      <span className="sr-only">Actions</span>
                    </Th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((r: Rate) => (
                  <tr key={`${r.fromCurrency}${r.toCurrency}${r.validFrom}`}>
                    <Td>{r.fromCurrency}</Td>
                    <Td>{r.toCurrency}</Td>
                    <Td className="tabular-nums">{r.validFrom}</Td>
                    <Td className="text-right tabular-nums">
                      1 {r.fromCurrency} = {r.rate} {r.toCurrency}
                    </Td>
                    <Td>{r.createdBy ?? '—'}</Td>
                    {canEdit ? (
                      <Td>
                        <Button
                          size="sm"
                          variant="ghost"
                          disabled={remove.isPending}
                          aria-label={`Remove the ${r.fromCurrency} to ${r.toCurrency} rate from ${r.validFrom}`}
                          onClick={() =>
                            remove.mutate({
                              fromCurrency: r.fromCurrency,
                              toCurrency: r.toCurrency,
                              validFrom: r.validFrom,
                            })
                          }
                        >
                          Remove
                        </Button>
                      </Td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </QueryStates>
      </Card>
    </>
  );
}

function AddRateForm({ onSaved }: { onSaved: () => void }) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.fxRates.save.mutationOptions({
      onSuccess: (saved) => {
        setError(null);
        toast.success(`Saved: 1 ${saved.fromCurrency} = ${saved.rate} ${saved.toCurrency} from ${saved.validFrom}.`);
        onSaved();
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    save.mutate({
      fromCurrency: text('from').toUpperCase(),
      toCurrency: text('to').toUpperCase(),
      validFrom: text('validFrom'),
      rate: text('rate'),
    });
  }
  return (
    <Card className="mb-6 p-4">
      <form onSubmit={onSubmit} noValidate aria-label="Add or correct a rate" className="grid gap-3 sm:grid-cols-5">
        <Field id="fx-from" label="From currency">
          <Input id="fx-from" name="from" required maxLength={3} placeholder="GBP" autoComplete="off" />
        </Field>
        <Field id="fx-to" label="To currency">
          <Input id="fx-to" name="to" required maxLength={3} placeholder="USD" autoComplete="off" />
        </Field>
        <Field id="fx-valid-from" label="In force from">
          <Input id="fx-valid-from" name="validFrom" type="date" required />
        </Field>
        <Field id="fx-rate" label="Rate">
          <Input id="fx-rate" name="rate" inputMode="decimal" required placeholder="1.2650" autoComplete="off" />
        </Field>
        <div className="flex items-end">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save rate'}
          </Button>
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-800 sm:col-span-5">
            {error}
          </p>
        ) : (
          <p className="text-xs text-slate-500 sm:col-span-5">
            A rate for a pair and day that exists already replaces it; both are kept in the audit log.
          </p>
        )}
      </form>
    </Card>
  );
}
