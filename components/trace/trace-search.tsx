import { Search } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/field';

/**
 * Finds a record's trace by any external id, an exception id or a trace key (a plain GET form).
 * `compact`: the one-line form of the console's header and the trace page's header; `id` and
 * `name` tell two forms on one page apart.
 */
export function TraceSearch({
  defaultValue = '',
  compact = false,
  id = compact ? 'trace-q-header' : 'trace-q',
  name = 'Trace a record',
}: {
  defaultValue?: string;
  compact?: boolean;
  id?: string;
  name?: string;
}) {
  return (
    <form action="/trace" method="get" role="search" aria-label={name} className="flex items-center gap-2">
      <label htmlFor={id} className={compact ? 'sr-only' : 'text-sm font-medium'}>
        External id
      </label>
      <Input
        id={id}
        name="q"
        defaultValue={defaultValue}
        placeholder={compact ? 'Trace an external id…' : 'Opportunity, project, time entry, invoice or exception id'}
        required
        maxLength={200}
        className={compact ? 'w-56' : 'w-96 max-w-full'}
      />
      <Button type="submit" size="sm" variant={compact ? 'ghost' : 'primary'}>
        <Search className="size-4" aria-hidden />
        <span className={compact ? 'sr-only' : undefined}>Trace</span>
      </Button>
    </form>
  );
}
