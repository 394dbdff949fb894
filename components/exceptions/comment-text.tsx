import { Fragment } from 'react';

const MENTION = /(@[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

/**
 * A comment as typed: React escapes it (no markup is ever interpreted), line breaks are kept and
 * mentions of users (`@someone@firm.example`) stand out.
 */
export function CommentText({ body }: { body: string }) {
  const parts = body.split(MENTION);
  return (
    <p className="whitespace-pre-wrap break-words text-sm text-slate-800">
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span key={i} className="rounded bg-brand-50 px-0.5 font-medium text-brand-700">
            {part}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </p>
  );
}
