'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
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
import { errorMessage } from '@/lib/error-message';
import { RoutingPreviewSummary } from './routing-preview';
import { RoutingRuleDialog } from './routing-rule-dialog';
import {
  BLANK_RULE,
  dueLabel,
  fromWorking,
  matchLabel,
  moved,
  newKey,
  priorityLabel,
  teamLabel,
  toEntry,
  toWorking,
  type RoutingChange,
  type RoutingChoices,
  type RoutingProblem,
  type RoutingRule,
  type WorkingRule,
} from './routing-rows';
import { RoutingRulesTable } from './routing-rules-table';

const DIFF_COLUMNS: DiffColumn<RoutingRule>[] = [
  { field: 'position', header: '#' },
  { field: 'team', header: 'Team', format: (value) => teamLabel(value as RoutingRule['team']) },
  { field: 'priority', header: 'Priority', format: (value) => priorityLabel(value as RoutingRule['priority']) },
  { field: 'dueHours', header: 'Due in', format: (value) => dueLabel(value as number) },
  { field: 'enabled', header: 'Enabled', format: (value) => (value ? 'Yes' : 'No') },
];

function RuleDiff({
  changes,
  caption,
  choices,
}: {
  changes: RoutingChange[];
  caption: string;
  choices: RoutingChoices;
}) {
  return (
    <ChangeDiff
      changes={changes}
      rowHeader="Matches"
      rowLabel={(rule) => matchLabel(rule, choices)}
      columns={DIFF_COLUMNS}
      caption={caption}
    />
  );
}

type Editing = { index: number | null; rule: WorkingRule } | null;

/** The routing rules in force, their draft with diff and preview, and the published versions; edits for governors. */
export function RoutingAdmin({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.routing.overview.queryOptions());
  const history = useQuery(trpc.routing.history.queryOptions());
  const hasDraft = Boolean(overview.data?.draft);
  const preview = useQuery(trpc.routing.draftPreview.queryOptions(undefined, { enabled: hasDraft }));
  const [working, setWorking] = useState<WorkingRule[] | null>(null);
  const [problems, setProblems] = useState<RoutingProblem[]>([]);
  const [editing, setEditing] = useState<Editing>(null);

  const stopEditing = () => {
    setWorking(null);
    setProblems([]);
  };
  const checkRules = useMutation(trpc.routing.checkRules.mutationOptions());
  const { saveDraft, discardDraft, publishDraft, republish, publishing, setPublishing, dialog } = useDraftActions({
    procedures: trpc.routing,
    queryKeys: [
      trpc.routing.overview.queryKey(),
      trpc.routing.history.queryKey(),
      trpc.routing.draftPreview.queryKey(),
    ],
    noun: 'rules',
    publishedMeans: 'new exceptions are placed by it',
    onSaved: stopEditing,
    onProblems: setProblems,
  });

  if (overview.isPending) return <Loading label="Loading routing rules…" />;
  if (overview.isError)
    return <ErrorState message={errorMessage(overview.error)} onRetry={() => void overview.refetch()} />;
  const { active, activeVersion, draft, choices } = overview.data;

  /** Checks one rule with the server at its place in the list; applies it to the list when it holds. */
  async function applyRule(rule: WorkingRule): Promise<RoutingProblem[]> {
    if (!working || !editing) return [];
    const index = editing.index ?? working.length;
    const found = await checkRules.mutateAsync({ rules: [toEntry(rule)], firstIndex: index });
    if (found.length > 0) return found;
    setWorking(editing.index === null ? [...working, rule] : working.map((r, i) => (i === index ? rule : r)));
    setProblems((all) => all.filter((p) => p.index !== index));
    setEditing(null);
    return [];
  }

  // Problems follow their rule when the list is reordered or shortened.
  const remapProblems = (order: number[]) =>
    setProblems((all) =>
      all.flatMap((p) => {
        const at = order.indexOf(p.index);
        return at < 0 ? [] : [{ ...p, index: at }];
      }),
    );

  const shown = working ? working.map((r, i) => fromWorking(r, i + 1)) : active;

  return (
    <>
      <PageHeader
        title="Routing rules"
        description="Which team, priority and due time a new exception gets: the first enabled rule it matches places it. Open exceptions keep where they are."
        actions={
          canManage && !working ? (
            <Button onClick={() => setWorking((draft?.rules ?? active).map(toWorking))}>
              {draft ? 'Edit draft' : 'Edit rules'}
            </Button>
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
            {preview.isPending ? (
              <Loading label="Working out the preview…" />
            ) : preview.isError || !preview.data ? (
              <ErrorState message={errorMessage(preview.error)} onRetry={() => void preview.refetch()} />
            ) : (
              <>
                <RuleDiff changes={preview.data.changes} caption="Draft changes" choices={choices} />
                <RoutingPreviewSummary preview={preview.data} />
                <RoutingRulesTable
                  rules={draft.rules}
                  choices={choices}
                  caption="Draft rules"
                  caught={new Map(preview.data.rules.map((r) => [r.position, r.caught]))}
                />
              </>
            )}
          </div>
        </Card>
      ) : null}

      <Card className="mb-6">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <h2 className="font-semibold">
            {working ? 'Editing routing rules' : `Rules in force (version ${activeVersion})`}
          </h2>
          {working ? (
            <div className="flex gap-2">
              <Button
                variant="secondary"
                onClick={() => setEditing({ index: null, rule: { ...BLANK_RULE, key: newKey() } })}
              >
                Add rule
              </Button>
              <Button variant="secondary" onClick={stopEditing}>
                Cancel
              </Button>
              <Button disabled={saveDraft.isPending} onClick={() => saveDraft.mutate({ rules: working.map(toEntry) })}>
                {saveDraft.isPending ? 'Saving…' : 'Save draft'}
              </Button>
            </div>
          ) : null}
        </div>
        {working ? (
          <p className="px-4 pt-3 text-sm text-slate-600">
            Drag a rule, use its arrows, or focus its row and press Alt+↑ or Alt+↓ to change the order. Nothing is in
            force until the draft is published.
          </p>
        ) : null}
        <RoutingRulesTable
          rules={shown}
          choices={choices}
          caption={working ? 'Rules being edited' : 'Rules in force'}
          editing={
            working
              ? {
                  keys: working.map((r) => r.key),
                  problems,
                  onMove: (from, to) => {
                    setWorking(moved(working, from, to));
                    remapProblems(moved([...working.keys()], from, to));
                  },
                  onEdit: (index) => setEditing({ index, rule: working[index]! }),
                  onRemove: (index) => {
                    setWorking(working.filter((_, i) => i !== index));
                    remapProblems([...working.keys()].filter((i) => i !== index));
                  },
                }
              : undefined
          }
        />
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
                  choices={choices}
                />
              )}
              onRepublish={canManage ? (version) => setPublishing({ kind: 'version', version }) : undefined}
              republishPending={republish.isPending}
              republishLabel="Roll back to this version"
            />
          )}
        </div>
      </Card>

      {editing ? (
        <RoutingRuleDialog
          key={editing.rule.key}
          open
          title={editing.index === null ? `Add rule ${(working?.length ?? 0) + 1}` : `Edit rule ${editing.index + 1}`}
          rule={editing.rule}
          choices={choices}
          problems={editing.index === null ? [] : problems.filter((p) => p.index === editing.index)}
          onApply={applyRule}
          onClose={() => setEditing(null)}
        />
      ) : null}

      <PublishDialog
        {...dialog}
        title={publishing?.kind === 'version' ? `Roll back to version ${publishing.version}` : 'Publish routing rules'}
        description={
          publishing?.kind === 'version'
            ? `Its rules are published again as the next version; new exceptions are placed by them.`
            : 'The draft becomes the next version; new exceptions are placed by it from now on.'
        }
        onPublish={(reason) =>
          publishing?.kind === 'version'
            ? republish.mutate({ version: publishing.version, reason })
            : publishDraft.mutate({ reason })
        }
      >
        {/* The draft's diff, read once more before it is in force. */}
        {publishing?.kind === 'draft' && preview.data ? (
          <RuleDiff changes={preview.data.changes} caption="Changes to publish" choices={choices} />
        ) : null}
      </PublishDialog>
    </>
  );
}
