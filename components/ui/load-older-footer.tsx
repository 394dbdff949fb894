import { Button } from './button';

/** What the footer reads of a TanStack infinite query. */
export interface NextPageStatus {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/**
 * Under a newest-first list: how many rows are shown, and a button for the next older page until
 * there is none, when `endLabel` says so.
 */
export function LoadOlderFooter({
  query,
  shown,
  noun,
  plural = `${noun}s`,
  loadLabel,
  endLabel,
}: {
  query: NextPageStatus;
  /** Rows loaded so far. */
  shown: number;
  noun: string;
  plural?: string;
  loadLabel: string;
  endLabel: string;
}) {
  return (
    <div className="flex items-center justify-between border-t border-slate-200 p-4 text-sm text-slate-600">
      <span>
        Showing {shown.toLocaleString('en')} {shown === 1 ? noun : plural}
      </span>
      {query.hasNextPage ? (
        <Button variant="secondary" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : loadLabel}
        </Button>
      ) : (
        <span>{endLabel}</span>
      )}
    </div>
  );
}
