'use client';

import { LocalTime } from '@/components/ui/local-time';
import { forwardRef, useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { CommentText } from './comment-text';
import type { HistoryEvent } from './exception-types';

function describe(event: HistoryEvent): string {
  const data = event.data ?? {};
  switch (event.type) {
    case 'created':
      return 'Raised by the sync';
    case 'repeated':
      return 'Seen again by the sync';
    case 'assigned':
      return `Assigned to ${String(data.toEmail ?? 'someone')}`;
    case 'unassigned':
      return 'Unassigned';
    case 'started':
      return 'Work started';
    case 'resolved':
      return 'Resolved';
    case 'ignored':
      return 'Ignored';
    case 'reopened':
      return 'Reopened';
    case 'priority_changed':
      return `Priority ${String(data.from)} → ${String(data.to)}`;
    case 'commented':
      return 'Comment';
    case 'replayed':
      return `Replayed: ${String(data.outcome)}`;
    case 'superseded':
      return 'Replayed: superseded at the source';
    case 'settled':
      return 'Settled by a sync run';
    case 'auto_retried':
      return 'Retried automatically';
    default:
      return event.type.replace(/_/g, ' ');
  }
}

/** Every change, assignment, comment and replay, oldest first. */
export function ExceptionTimeline({ events }: { events: HistoryEvent[] }) {
  return (
    <ol className="space-y-3" aria-label="History">
      {events.map((event) => (
        <li key={event.id} className="border-l-2 border-slate-200 pl-3">
          <p className="text-sm font-medium">
            {describe(event)}
            <span className="ml-2 font-normal text-slate-500">
              {event.actorEmail ?? 'Syncwright'} · <LocalTime value={event.at} />
            </span>
          </p>
          {event.note ? (
            event.type === 'commented' ? (
              <CommentText body={event.note} />
            ) : (
              <p className="whitespace-pre-wrap break-words text-sm text-slate-700">{event.note}</p>
            )
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export const CommentForm = forwardRef<
  HTMLTextAreaElement,
  { onSubmit: (body: string) => Promise<unknown>; pending: boolean }
>(function CommentForm({ onSubmit, pending }, ref) {
  const [body, setBody] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!body.trim()) return;
    await onSubmit(body).then(
      () => setBody(''),
      () => undefined,
    );
  }
  return (
    <form onSubmit={(e) => void submit(e)} className="space-y-2" aria-label="Add a comment">
      <label htmlFor="comment" className="block text-sm font-medium">
        Comment
      </label>
      <textarea
        id="comment"
        ref={ref}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        rows={3}
        maxLength={5000}
        aria-describedby="comment-hint"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-100"
      />
      <p id="comment-hint" className="text-xs text-slate-500">
        Plain text. Mention someone with @ and their e-mail, e.g. @finance@syncwright.example.
      </p>
      <Button type="submit" size="sm" variant="secondary" disabled={pending || !body.trim()}>
        Add comment
      </Button>
    </form>
  );
});
