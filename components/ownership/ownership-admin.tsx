'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ChangeDiff, type DiffColumn } from '@/components/governance/change-diff';
import { PublishDialog } from '@/components/governance/publish-dialog';
import { useDraftActions } from '@/components/governance/use-draft-actions';
import { VersionHistory } from '@/components/governance/version-history';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { Table, Td, Th } from '@/components/ui/table';
import { errorMessage } from '@/lib/error-message';
import { OwnershipMatrix } from './ownership-matrix';
import { ruleName, systemLabel, type OwnershipChange, type OwnershipRule, type RoutineImpact } from './ownership-rows';

const DIFF_COLUMNS: DiffColumn<OwnershipRule>[] = [
  { field: 'owner', header: 'System of record', format: (value) => systemLabel(value as OwnershipRule['owner']) },
  { field: 'team', header: 'Owning team' },
  { field: 'note', header: 'Note' },
];

function RuleDiff({ changes, caption }: { changes: OwnershipChange[]; caption: string }) {
  return (
    <ChangeDiff
      changes={changes}
      rowHeader="Object / attribute"
      rowLabel={ruleName}
      columns={DIFF_COLUMNS}
      caption={caption}
    />
  );
}

/** The ownership matrix, its draft with diff and impact, and the published versions; edits for governors. */
export function OwnershipAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.ownership.overview.queryOptions());
  const history = useQuery(trpc.ownership.history.queryOptions());
  const hasDraft = Boolean(overview.data?.draft);
  const impact = useQuery(trpc.ownership.draftImpact.queryOptions(undefined, { enabled: hasDraft }));
  const [working, setWorking] = useState<OwnershipRule[] | null>(null);
  const { saveDraft, discardDraft, publishDraft, republish, publishing, setPublishing, dialog } = useDraftActions({
    procedures: trpc.ownership,
    queryKeys: [
      trpc.ownership.overview.queryKey(),
      trpc.ownership.history.queryKey(),
      trpc.ownership.draftImpact.queryKey(),
    ],
    noun: 'rules',
    publishedMeans: 'it is now in force',
    onSaved: () => setWorking(null),
  });

  if (overview.isPending) return <Loading label="Loading ownership rules…" />;
  if (overview.isError)
    return <ErrorState message={errorMessage(overview.error)} onRetry={() => void overview.refetch()} />;
  const { active, activeVersion, draft, catalogue } = overview.data;

  return (
    <>
      <PageHeader
        title="Ownership rules"
        description="Which system is the system of record for each object and attribute, and which team owns it. A change from any other system is held as an ownership conflict."
        actions={
          canManage && !working ? (
            <Button onClick={() => setWorking(draft?.rules ?? active)}>{draft ? 'Edit draft' : 'Edit rules'}</Button>
          ) : null
        }
      />

      {draft && !working ? (
        <Card className="mb-6">
          <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
            <h2 className="font-semibold">Draft, not yet in force</h2>
            {canManage ? (
              <div className="flex gap-2">
                <Button variant="secondary" disabled={discardDraft.isPending} onClick={() => discardDraft.mutate()}>
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
            {draft.baseVersion !== activeVersion ? (
              <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
                Version {activeVersion} was published after this draft was started: edit the draft again and save it
                before publishing.
              </p>
            ) : null}
            {impact.isPending ? (
              <Loading label="Working out the impact…" />
            ) : impact.isError || !impact.data ? (
              <ErrorState message={errorMessage(impact.error)} onRetry={() => void impact.refetch()} />
            ) : (
              <>
                <RuleDiff changes={impact.data.changes} caption="Draft changes" />
                <ImpactPreview routines={impact.data.routines} />
              </>
            )}
          </div>
        </Card>
      ) : null}

      <Card className="mb-6">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">
            {working ? 'Editing ownership rules' : `Ownership matrix (version ${activeVersion})`}
          </h2>
          {working ? (
            <div className="flex gap-2">
              <Button variant="secondary" onClick={() => setWorking(null)}>
                Cancel
              </Button>
              <Button disabled={saveDraft.isPending} onClick={() => saveDraft.mutate({ rules: working })}>
                {saveDraft.isPending ? 'Saving…' : 'Save draft'}
              </Button>
            </div>
          ) : null}
        </div>
        <OwnershipMatrix catalogue={catalogue} rules={working ?? active} onChange={working ? setWorking : undefined} />
      </Card>

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
              activeVersion={activeVersion}
              renderDiff={(version) => (
                <RuleDiff
                  changes={history.data.find((v) => v.version === version)?.changes ?? []}
                  caption={`Changes in version ${version}`}
                />
              )}
              onRepublish={canManage ? (version) => setPublishing({ kind: 'version', version }) : undefined}
              republishPending={republish.isPending}
            />
          )}
        </div>
      </Card>

      <PublishDialog
        {...dialog}
        title={
          publishing?.kind === 'version' ? `Publish version ${publishing.version} again` : 'Publish ownership rules'
        }
        description={
          publishing?.kind === 'version'
            ? `Its rules become the next version and are in force from the next run.`
            : 'The draft becomes the next version and is in force from the next run.'
        }
        onPublish={(reason) =>
          publishing?.kind === 'version'
            ? republish.mutate({ version: publishing.version, reason })
            : publishDraft.mutate({ reason })
        }
      />
    </>
  );
}

/** Per routine: how many records and open ownership conflicts the draft touches. */
function ImpactPreview({ routines }: { routines: RoutineImpact[] }) {
  return (
    <section aria-label="Impact preview" className="space-y-2">
      <h3 className="text-sm font-semibold">Impact preview</h3>
      <Table aria-label="Impact per routine">
        <thead className="bg-slate-50">
          <tr>
            <Th>Routine</Th>
            <Th>Records of changed object types</Th>
            <Th>Open conflicts that become deliverable</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {routines.map((r) => (
            <tr key={r.routine}>
              <Td>{r.label}</Td>
              <Td>{r.records}</Td>
              <Td>
                {r.conflictsResolved > 0
                  ? `${r.conflictsResolved} open OWNERSHIP_CONFLICT exception${r.conflictsResolved === 1 ? '' : 's'} would become deliverable`
                  : 'None'}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
