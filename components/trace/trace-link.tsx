import Link from 'next/link';
import type { ReactNode } from 'react';

/** Where the trace of whatever an id names opens: the search resolves it to its trace key. */
export const traceHref = (id: string) => `/trace?q=${encodeURIComponent(id)}`;

/** A link to the trace of an external id, an exception or a trace key. */
export function TraceLink({ id, children, label }: { id: string; children: ReactNode; label?: string }) {
  return (
    <Link href={traceHref(id)} className="text-brand-700 underline" aria-label={label}>
      {children}
    </Link>
  );
}
