'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ChangeDiff, type DiffColumn } from '@/components/governance/change-diff';
import { PublishDialog } from '@/components/governance/publish-dialog';
import { useDraftActions } from '@/components/governance/use-draft-actions';
import { VersionHistory } from '@/components/governance/version-history';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import { AffectedDryRun } from './affected-dry-run';
import { FieldMapDiff, FieldMapsCard } from './field-map-table';
import { MappingPreviewPanel } from './mapping-preview-panel';
import {
  scopeKey,
  type FieldMapProblemView,
  type FieldMapView,
  type MappingChangeView,
  type MappingProblemView,
  type PublishedView,
  type ValueMapView,
} from './mapping-types';
import { ValueMapTable } from './value-map-table';

const DIFF_COLUMNS: DiffColumn<ValueMapView>[] = [{ field: 'targetValue', header: 'Maps to' }];

function MappingDiff({ changes, caption }: { changes: MappingChangeView[]; caption: string }) {
  return (
    <ChangeDiff
      changes={changes}
      rowHeader="Mapping"
      rowLabel={(row) => `${row.kind}: ${row.sourceValue}`}
      columns={DIFF_COLUMNS}
      caption={caption}
    />
  );
}

/** The value mappings of one connection and legal entity: in force, draft with diff and live preview, history. */
export function MappingsAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const [picked, setPicked] = useState<{ connectionId: string; legalEntityId: string } | null>(null);
  const overview = useQuery(trpc.mappings.overview.queryOptions(picked ? { scope: picked } : undefined));
  const scope = picked ?? overview.data?.scopes[0] ?? null;
  const scopeInput = { connectionId: scope?.connectionId ?? '', legalEntityId: scope?.legalEntityId ?? '' };
  const history = useQuery(trpc.mappings.history.queryOptions({ scope: scopeInput }, { enabled: Boolean(scope) }));
  const hasDraft = Boolean(overview.data?.draft);
  const draftChanges = useQuery(
    trpc.mappings.draftChanges.queryOptions({ scope: scopeInput }, { enabled: Boolean(scope) && hasDraft }),
  );
  const [working, setWorking] = useState<ValueMapView[] | null>(null);
  const [problems, setProblems] = useState<MappingProblemView[]>([]);
  const [workingFieldMaps, setWorkingFieldMaps] = useState<FieldMapView[]>([]);
  const [fieldMapProblems, setFieldMapProblems] = useState<FieldMapProblemView[]>([]);
  const [published, setPublished] = useState<PublishedView | null>(null);

  const stopEditing = () => {
    setWorking(null);
    setProblems([]);
    setFieldMapProblems([]);
  };
  const { saveDraft, discardDraft, publishDraft, republish, publishing, setPublishing, dialog } = useDraftActions({
    procedures: trpc.mappings,
    queryKeys: [
      trpc.mappings.overview.queryKey(),
      trpc.mappings.history.queryKey(),
      trpc.mappings.draftChanges.queryKey(),
    ],
    noun: 'mappings',
    publishedMeans: 'the next run maps with it',
    onSaved: stopEditing,
    onProblems: (valueMapProblems: MappingProblemView[], result) => {
      setProblems(valueMapProblems);
      setFieldMapProblems(result.fieldMapProblems);
    },
    problemCount: (result) => result.problems.length + result.fieldMapProblems.length,
    onPublished: setPublished,
  });

  if (overview.isPending) return <Loading label="Loading field mappings…" />;
  if (overview.isError)
    return <ErrorState message={errorMessage(overview.error)} onRetry={() => void overview.refetch()} />;
  const { scopes, active, activeVersion, draft, kinds, activeFieldMaps, draftFieldMapChanges } = overview.data;
  const fieldMapOptions = { sources: overview.data.sources, kinds, dateLayouts: overview.data.dateLayouts };
  const current = scope ? (scopes.find((s) => scopeKey(s) === scopeKey(scope)) ?? null) : null;
  const onScreen = working ?? draft?.mappings ?? active;
  const fieldMapsOnScreen = working ? workingFieldMaps : (draft?.fieldMaps ?? activeFieldMaps);
  const affectedInQueue = published ? queueLink(published, current?.legalEntityId ?? '') : '';

  return (
    <>
      <PageHeader
        title="Field mappings"
        description="How values of each connected system map to Syncwright's, per connection and legal entity: tax codes, currencies, practices, cost centers, items. A change takes effect from its published version on."
        actions={
          canManage && current && !working ? (
            <Button
              onClick={() => {
                setWorking([...(draft?.mappings ?? active)]);
                setWorkingFieldMaps([...(draft?.fieldMaps ?? activeFieldMaps)]);
              }}
            >
              {draft ? 'Edit draft' : 'Edit mappings'}
            </Button>
          ) : null
        }
      />

      <Field id="mapping-scope" label="Connection and legal entity" className="mb-6 max-w-md">
        <Select
          id="mapping-scope"
          value={current ? scopeKey(current) : ''}
          onChange={(e) => {
            const next = scopes.find((s) => scopeKey(s) === e.target.value);
            if (!next) return;
            stopEditing();
            setPublished(null);
            setPicked({ connectionId: next.connectionId, legalEntityId: next.legalEntityId });
          }}
        >
          {scopes.map((s) => (
            <option key={scopeKey(s)} value={scopeKey(s)}>
              {s.connectionName} · {s.legalEntityId}
            </option>
          ))}
        </Select>
      </Field>

      {published ? (
        <Card className="mb-6">
          <section aria-label="Published" className="space-y-3 p-4">
            <h2 className="font-semibold">Version {published.version} is in force</h2>
            {published.affected.exceptionIds.length === 0 ? (
              <p className="text-sm text-slate-600">
                No open exception of this entity was caused by these kinds of mapping.
              </p>
            ) : (
              <>
                <p className="text-sm">
                  {published.affected.exceptionIds.length} open {published.affected.codes.join(', ')} exception(s) in{' '}
                  {current?.legalEntityId} may have been caused by these mappings.{' '}
                  <Link className="text-brand-700 hover:underline" href={affectedInQueue}>
                    Open them in the queue
                  </Link>
                </p>
                {canManage ? (
                  <AffectedDryRun
                    key={published.version}
                    exceptionIds={published.affected.exceptionIds}
                    queueHref={affectedInQueue}
                  />
                ) : null}
              </>
            )}
          </section>
        </Card>
      ) : null}

      {draft && !working ? (
        <Card className="mb-6">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
            <h2 className="font-semibold">Draft, not yet in force</h2>
            {canManage ? (
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  disabled={discardDraft.isPending}
                  onClick={() => discardDraft.mutate({ scope: scopeInput })}
                >
                  Discard draft
                </Button>
                <Button onClick={() => setPublishing({ kind: 'draft' })}>Publish…</Button>
              </div>
            ) : null}
          </div>
          <div className="space-y-4 p-4">
            <p className="text-sm text-slate-600">
              Saved by {draft.updatedBy}, starting from version {draft.baseVersion}. Changes against version{' '}
              {activeVersion}:
            </p>
            {draftChanges.data ? <MappingDiff changes={draftChanges.data} caption="Draft changes" /> : null}
            <FieldMapDiff changes={draftFieldMapChanges ?? []} caption="Draft field map changes" />
          </div>
        </Card>
      ) : null}

      <Card className="mb-6">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">
            {working ? 'Editing mappings' : `Mappings in force (version ${activeVersion})`}
          </h2>
          {working ? (
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() => setWorking([...working, { kind: 'tax_code', sourceValue: '', targetValue: '' }])}
              >
                Add mapping
              </Button>
              <Button variant="secondary" onClick={stopEditing}>
                Cancel
              </Button>
              <Button
                disabled={saveDraft.isPending}
                onClick={() => saveDraft.mutate({ scope: scopeInput, mappings: working, fieldMaps: workingFieldMaps })}
              >
                {saveDraft.isPending ? 'Saving…' : 'Save draft'}
              </Button>
            </div>
          ) : null}
        </div>
        <ValueMapTable
          rows={working ?? active}
          kinds={kinds}
          caption={working ? 'Mappings being edited' : 'Mappings in force'}
          editing={
            working
              ? {
                  problems,
                  onChange: (index, row) => setWorking(working.map((r, i) => (i === index ? row : r))),
                  onRemove: (index) => {
                    setWorking(working.filter((_, i) => i !== index));
                    setProblems([]);
                  },
                }
              : undefined
          }
        />
      </Card>

      <FieldMapsCard
        rows={fieldMapsOnScreen}
        options={fieldMapOptions}
        editing={working ? { problems: fieldMapProblems, onChange: setWorkingFieldMaps } : undefined}
      />

      {current ? (
        <Card className="mb-6">
          <div className="border-b border-slate-200 px-4 py-3">
            <h2 className="font-semibold">Preview</h2>
            <p className="text-sm text-slate-600">
              Maps a real record with the mappings {working ? 'being edited' : draft ? 'of the draft' : 'in force'}.
            </p>
          </div>
          <div className="p-4">
            <MappingPreviewPanel
              key={scopeKey(current)}
              scope={current}
              mappings={onScreen}
              fieldMaps={fieldMapsOnScreen}
            />
          </div>
        </Card>
      ) : null}

      <Card>
        <div className="border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">History</h2>
        </div>
        <div className="p-4">
          {history.isPending ? (
            <Loading label="Loading versions…" />
          ) : history.isError ? (
            <ErrorState message={errorMessage(history.error)} onRetry={() => void history.refetch()} />
          ) : (
            <VersionHistory
              versions={history.data}
              activeVersion={history.data.length > 0 ? activeVersion : null}
              renderDiff={(version) => (
                <>
                  <MappingDiff
                    changes={history.data.find((v) => v.version === version)?.changes ?? []}
                    caption={`Changes in version ${version}`}
                  />
                  <FieldMapDiff
                    changes={history.data.find((v) => v.version === version)?.fieldMapChanges ?? []}
                    caption={`Field map changes in version ${version}`}
                  />
                </>
              )}
              onRepublish={canManage ? (version) => setPublishing({ kind: 'version', version }) : undefined}
              republishPending={republish.isPending}
              republishLabel="Roll back to this version"
            />
          )}
        </div>
      </Card>

      <PublishDialog
        {...dialog}
        title={publishing?.kind === 'version' ? `Roll back to version ${publishing.version}` : 'Publish field mappings'}
        description={
          publishing?.kind === 'version'
            ? 'Its mappings are published again as the next version; the next run maps with them.'
            : 'The draft becomes the next version; the next run maps with it.'
        }
        onPublish={(reason) =>
          publishing?.kind === 'version'
            ? republish.mutate({ scope: scopeInput, version: publishing.version, reason })
            : publishDraft.mutate({ scope: scopeInput, reason })
        }
      >
        {publishing?.kind === 'draft' && draftChanges.data ? (
          <MappingDiff changes={draftChanges.data} caption="Changes to publish" />
        ) : null}
        {publishing?.kind === 'draft' ? (
          <FieldMapDiff changes={draftFieldMapChanges ?? []} caption="Field map changes to publish" />
        ) : null}
      </PublishDialog>
    </>
  );
}

/** The queue filtered to the open exceptions a published change may fix. */
function queueLink(published: PublishedView, legalEntityId: string) {
  const params = new URLSearchParams({
    code: published.affected.codes.join(','),
    routine: published.affected.routines.join(','),
    entity: legalEntityId,
    status: 'open,assigned,in_progress',
  });
  return `/exceptions?${params.toString().replaceAll('%2C', ',')}`;
}
