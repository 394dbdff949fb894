'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';

/** Shortest reason accepted: a word or two is not a reason a reviewer can follow later. */
export const MIN_REASON_LENGTH = 5;

/**
 * Publishing a policy version: the reason is required and recorded with the version. The caller
 * does the publishing (`onPublish`) and passes back the server's refusal, if any, as `error`.
 */
export function PublishDialog({
  open,
  onClose,
  onPublish,
  title = 'Publish',
  description,
  submitLabel = 'Publish',
  pending,
  error,
  children,
}: {
  open: boolean;
  onClose: () => void;
  onPublish: (reason: string) => void;
  title?: string;
  description?: string;
  submitLabel?: string;
  pending: boolean;
  error?: string | null;
  /** What is about to be published (e.g. its diff), shown above the reason. */
  children?: ReactNode;
}) {
  const [reasonError, setReasonError] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    if (reason.length < MIN_REASON_LENGTH) {
      setReasonError(`Say why you publish this (at least ${MIN_REASON_LENGTH} characters).`);
      return;
    }
    setReasonError(null);
    onPublish(reason);
  }

  const shown = reasonError ?? error ?? null;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setReasonError(null);
          onClose();
        }
      }}
      title={title}
      description={description}
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {children ? <div className="max-h-64 overflow-y-auto">{children}</div> : null}
        <Field id="publish-reason" label="Reason" error={shown} hint="Recorded with the version and in the audit log.">
          <textarea
            id="publish-reason"
            name="reason"
            rows={3}
            required
            minLength={MIN_REASON_LENGTH}
            aria-invalid={shown ? true : undefined}
            aria-describedby={shown ? 'publish-reason-error' : 'publish-reason-hint'}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100 aria-[invalid=true]:border-red-500"
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Publishing…' : submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
