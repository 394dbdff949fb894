'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/field';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import type { FieldMapView, MappingScopeView, ValueMapView } from './mapping-types';

const shown = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/**
 * A real record of the ERP, read through its connector, and the canonical record the mappings on
 * screen turn it into, with what would stop it inline. Nothing is saved.
 */
export function MappingPreviewPanel({
  scope,
  mappings,
  fieldMaps,
}: {
  scope: MappingScopeView;
  mappings: ValueMapView[];
  fieldMaps: FieldMapView[];
}) {
  const trpc = useTRPC();
  const target = { connectionId: scope.connectionId, legalEntityId: scope.legalEntityId };
  const samples = useQuery(trpc.mappings.samples.queryOptions({ scope: target }, { retry: false }));
  const [picked, setPicked] = useState('');
  // Any time entry of the ERP, by its internal id, when it is not among the samples.
  const [typed, setTyped] = useState('');
  const preview = useMutation(trpc.mappings.preview.mutationOptions());

  if (samples.isPending) return <Loading label="Reading recent records from the ERP…" />;
  if (samples.isError) return <p className="text-sm text-slate-600">{errorMessage(samples.error)}</p>;
  if (samples.data.length === 0)
    return <p className="text-sm text-slate-600">The ERP has no recent billable time for this entity to preview.</p>;
  const chosen = typed.trim() || picked || samples.data[0]?.externalId || '';
  const result = preview.data;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-2">
        <Field id="preview-record" label="Source record" className="min-w-80 flex-1">
          <Select id="preview-record" value={chosen} onChange={(e) => setPicked(e.target.value)}>
            {samples.data.map((s) => (
              <option key={s.externalId} value={s.externalId}>
                {s.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="preview-record-id" label="Or its internal id in the ERP" className="w-48">
          <Input
            id="preview-record-id"
            inputMode="numeric"
            value={typed}
            placeholder="e.g. 20418"
            onChange={(e) => setTyped(e.target.value)}
          />
        </Field>
        <Button
          disabled={!chosen || preview.isPending}
          onClick={() => preview.mutate({ scope: target, mappings, fieldMaps, externalId: chosen })}
        >
          {preview.isPending ? 'Previewing…' : 'Preview'}
        </Button>
      </div>
      {preview.isError ? <ErrorState message={errorMessage(preview.error)} /> : null}
      {result ? (
        <section aria-label="Canonical record" className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-4">
          <h3 className="font-semibold">Canonical time entry from NetSuite time entry {result.source.externalId}</h3>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            {Object.entries(result.canonical).map(([name, value]) => {
              const problems = result.problems.filter((p) => p.attribute === name);
              return (
                <div key={name} className="contents" data-attribute={name}>
                  <dt className="font-medium text-slate-700">{name}</dt>
                  <dd className="font-mono">
                    {shown(value)}
                    {problems.map((p) => (
                      <span key={p.message} className="block font-sans text-xs text-red-700">
                        {p.message}
                      </span>
                    ))}
                  </dd>
                </div>
              );
            })}
          </dl>
          {result.problems.length + result.mappingProblems.length + result.fieldMapProblems.length === 0 ? (
            <p role="status" className="text-sm text-green-800">
              Valid: billing would accept this record.
            </p>
          ) : (
            <ul aria-label="Validation errors" className="list-disc space-y-1 pl-5 text-sm text-red-700">
              {result.mappingProblems.map((p) => (
                <li key={`m${p.index}${p.field}`}>{p.message}</li>
              ))}
              {result.fieldMapProblems.map((p) => (
                <li key={`f${p.index}${p.field}${p.message}`}>{p.message}</li>
              ))}
              {result.problems.map((p) => (
                <li key={p.attribute + p.message}>{p.message}</li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
