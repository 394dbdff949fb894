'use client';

import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { errorMessage } from '@/lib/error-message';

/**
 * A tRPC mutation procedure, as far as draft handling needs it. Its error type is left open
 * (`never` accepts each procedure's own): the handlers read any error through `errorMessage`.
 */
interface Procedure<Input, Output> {
  mutationOptions: (opts: {
    onSuccess: (data: Output) => void;
    onError: (error: unknown) => void;
  }) => UseMutationOptions<Output, never, Input, unknown>;
}

/** A save either went through, or the server named what is wrong and saved nothing. */
type SaveResult<Problem> = { changes: number; saved?: true } | { saved: false; problems: Problem[] };

export type Publishing = { kind: 'draft' } | { kind: 'version'; version: number } | null;

/**
 * The draft handling the governance screens share: save (or show the problems the server named),
 * discard, publish the draft or an earlier version again with a reason, each with its toast, and
 * the screen's queries read again afterwards. A refusal to publish — a stale draft, a reason too
 * short — stays in the publish dialog, where the reason was given.
 */
export function useDraftActions<
  SaveInput,
  Problem,
  Saved extends SaveResult<Problem>,
  DiscardInput,
  Discarded,
  PublishInput,
  RepublishInput,
  Published extends { version: number },
>(options: {
  procedures: {
    saveDraft: Procedure<SaveInput, Saved>;
    discardDraft: Procedure<DiscardInput, Discarded>;
    publishDraft: Procedure<PublishInput, Published>;
    republish: Procedure<RepublishInput, Published>;
  };
  /** The screen's queries, read again after every change. */
  queryKeys: QueryKey[];
  /** What is governed, as the toasts name it: "rules", "mappings". */
  noun: string;
  /** What a published version does, after "Version N published; ". */
  publishedMeans: string;
  onSaved: () => void;
  /** The problems of a save the server refused, and its whole answer (a screen may name more). */
  onProblems?: (problems: Problem[], result: Extract<Saved, { saved: false }>) => void;
  /** How many problems a refused save has, for its toast; `problems.length` when not given. */
  problemCount?: (result: Extract<Saved, { saved: false }>) => number;
  onPublished?: (result: Published) => void;
}) {
  const queryClient = useQueryClient();
  const [publishing, setPublishing] = useState<Publishing>(null);
  const [publishError, setPublishError] = useState<string | null>(null);
  const { procedures, noun } = options;

  const refresh = () => {
    for (const queryKey of options.queryKeys) void queryClient.invalidateQueries({ queryKey });
  };
  const toastError = (error: unknown) => toast.error(errorMessage(error));

  const saveDraft = useMutation(
    procedures.saveDraft.mutationOptions({
      onSuccess: (saved) => {
        if (saved.saved === false) {
          const refused = saved as Extract<Saved, { saved: false }>;
          options.onProblems?.(refused.problems, refused);
          const count = options.problemCount?.(refused) ?? refused.problems.length;
          toast.error(
            `The draft was not saved: ${count} problem${count === 1 ? '' : 's'} to fix, shown under the ${noun}.`,
          );
          return;
        }
        toast.success(`Draft saved: ${saved.changes} change(s) against the ${noun} in force.`);
        options.onSaved();
        refresh();
      },
      onError: toastError,
    }),
  );
  const discardDraft = useMutation(
    procedures.discardDraft.mutationOptions({
      onSuccess: () => {
        toast.success('Draft discarded.');
        refresh();
      },
      onError: toastError,
    }),
  );
  const published = {
    onSuccess: (result: Published) => {
      toast.success(`Version ${result.version} published; ${options.publishedMeans}.`);
      setPublishing(null);
      setPublishError(null);
      options.onPublished?.(result);
      refresh();
    },
    onError: (error: unknown) => setPublishError(errorMessage(error)),
  };
  const publishDraft = useMutation(procedures.publishDraft.mutationOptions(published));
  const republish = useMutation(procedures.republish.mutationOptions(published));

  return {
    saveDraft,
    discardDraft,
    publishDraft,
    republish,
    publishing,
    setPublishing,
    /** What the publish dialog needs of this state, the publishing itself aside. */
    dialog: {
      open: publishing !== null,
      onClose: () => {
        setPublishing(null);
        setPublishError(null);
      },
      pending: publishDraft.isPending || republish.isPending,
      error: publishError,
    },
  };
}
