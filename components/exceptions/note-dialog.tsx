'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';

/** Asks for the required words before an action: a resolution note, or a reason to ignore. */
export function NoteDialog({
  open,
  onOpenChange,
  title,
  label,
  submitLabel,
  pending,
  error,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  label: string;
  submitLabel: string;
  pending: boolean;
  error: string | null;
  onSubmit: (note: string) => void;
}) {
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) {
      setMissing(true);
      return;
    }
    onSubmit(note.trim());
  }
  const message = missing && !note.trim() ? `${label} is required.` : error;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          setNote('');
          setMissing(false);
        }
        onOpenChange(next);
      }}
      title={title}
    >
      <form onSubmit={submit} className="space-y-3">
        <label htmlFor="action-note" className="block text-sm font-medium">
          {label}
        </label>
        <textarea
          id="action-note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={4}
          maxLength={2000}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? 'action-note-error' : undefined}
          className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100"
        />
        {message ? (
          <p id="action-note-error" role="alert" className="text-sm text-red-700">
            {message}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
