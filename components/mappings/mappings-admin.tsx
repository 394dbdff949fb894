'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { ChangeDiff, type DiffColumn } from '@/components/governance/change-diff';
import { PublishDialog } from '@/components/governance/publish-dialog';
import { VersionHistory } from '@/components/governance/version-history';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Select } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import { FieldMapDiff, FieldMapsCard } from './field-map-table';
import { MappingPreviewPanel } from './mapping-preview-panel';
import {
  scopeKey,
  type AffectedDryRunView,
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

type Publishing = { kind: 'draft' } | { kind: 'version'; version: number } | null;

const OUTCOME_WORDS = {
  delivered: 'would go through',
  noop: 'were delivered before',
  superseded: 'have moved on at the source',
  exception: 'would fail again',
} as const;

/** The value mappings of one connection and legal entity: in force, draft with diff and live preview, history. */
export function MappingsAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
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
  const [publishing, setPublishing] = useState<Publishing>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const [published, setPublished] = useState<PublishedView | null>(null);
  const [dryRun, setDryRun] = useState<AffectedDryRunView | null>(null);

  const refresh = () => {
    for (const key of [
      trpc.mappings.overview.queryKey(),
      trpc.mappings.history.queryKey(),
      trpc.mappings.draftChanges.queryKey(),
    ]) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  };
  const stopEditing = () => {
    setWorking(null);
    setProblems([]);
    setFieldMapProblems([]);
  };
  const saveDraft = useMutation(
    trpc.mappings.saveDraft.mutationOptions({
      onSuccess: (result) => {
        if (!result.saved) {
          setProblems(result.problems);
          setFieldMapProblems(result.fieldMapProblems);
          const count = result.problems.length + result.fieldMapProblems.length;
          toast.error(
            `The draft was not saved: ${count} problem${count === 1 ? '' : 's'} to fix, shown under the mappings.`,
          );
          return;
        }
        toast.success(`Draft saved: ${result.changes} change(s) against the mappings in force.`);
        stopEditing();
        refresh();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const discardDraft = useMutation(
    trpc.mappings.discardDraft.mutationOptions({
      onSuccess: () => {
        toast.success('Draft discarded.');
        refresh();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const onPublished = {
    onSuccess: (result: PublishedView) => {
      toast.success(`Version ${result.version} published; the next run maps with it.`);
      setPublishing(null);
      setPublishError(null);
      setPublished(result);
      setDryRun(null);
      refresh();
    },
    onError: (error: unknown) => setPublishError(errorMessage(error)),
  };
  const publishDraft = useMutation(trpc.mappings.publishDraft.mutationOptions(onPublished));
  const republish = useMutation(trpc.mappings.republish.mutationOptions(onPublished));
  const dryRunAffected = useMutation(
    trpc.mappings.dryRunAffected.mutationOptions({
      onSuccess: setDryRun,
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );

  if (overview.isPending) return <Loading label="Loading field mappings…" />;
  if (overview.isError)
    return <ErrorState message={errorMessage(overview.error)} onRetry={() => void overview.refetch()} />;
  const { scopes, active, activeVersion, draft, kinds, activeFieldMaps, draftFieldMapChanges } = overview.data;
  const fieldMapOptions = { sources: overview.data.sources, kinds, dateLayouts: overview.data.dateLayouts };
  const current = scope ? (scopes.find((s) => scopeKey(s) === scopeKey(scope)) ?? null) : null;
  const onScreen = working ?? draft?.mappings ?? active;
  const fieldMapsOnScreen = working ? workingFieldMaps : (draft?.fieldMaps ?? activeFieldMaps);

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
            setDryRun(null);
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
                  <Link
                    className="text-brand-700 hover:underline"
                    href={queueLink(published, current?.legalEntityId ?? '')}
                  >
                    Open them in the queue
                  </Link>
                </p>
                {canManage ? (
                  <Button
                    disabled={dryRunAffected.isPending}
                    onClick={() => dryRunAffected.mutate({ exceptionIds: published.affected.exceptionIds })}
                  >
                    {dryRunAffected.isPending
                      ? 'Dry-running…'
                      : 'Dry-run replay the open exceptions this mapping caused'}
                  </Button>
                ) : null}
              </>
            )}
            {dryRun ? <AffectedDryRun plan={dryRun} /> : null}
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
        open={publishing !== null}
        onClose={() => {
          setPublishing(null);
          setPublishError(null);
        }}
        title={publishing?.kind === 'version' ? `Roll back to version ${publishing.version}` : 'Publish field mappings'}
        description={
          publishing?.kind === 'version'
            ? 'Its mappings are published again as the next version; the next run maps with them.'
            : 'The draft becomes the next version; the next run maps with it.'
        }
        pending={publishDraft.isPending || republish.isPending}
        error={publishError}
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

function AffectedDryRun({ plan }: { plan: AffectedDryRunView }) {
  const counts = new Map<keyof typeof OUTCOME_WORDS, number>();
  for (const o of plan.outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
  return (
    <section
      aria-label="Dry run of affected exceptions"
      className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-4"
    >
      <h3 className="font-semibold">Dry run: nothing was written</h3>
      <ul aria-label="Outcomes" className="list-disc pl-5 text-sm">
        {[...counts].map(([outcome, count]) => (
          <li key={outcome}>
            {count} {OUTCOME_WORDS[outcome]}
          </li>
        ))}
      </ul>
      {plan.summary.length > 0 ? (
        <ul aria-label="Plan summary" className="list-disc pl-5 text-sm">
          {plan.summary.map((s) => (
            <li key={`${s.system}|${s.objectType}|${s.action}`}>
              {s.system}: {s.action} {s.count} {s.objectType}
            </li>
          ))}
        </ul>
      ) : null}
      <ul aria-label="Affected exceptions" className="text-sm">
        {plan.outcomes.map((o) => (
          <li key={o.exceptionId}>
            <Link className="text-brand-700 hover:underline" href={`/exceptions/${o.exceptionId}`}>
              {o.exceptionId.slice(0, 8)}
            </Link>{' '}
            {OUTCOME_WORDS[o.outcome]}
            {o.reason ? ` (${o.reason})` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
