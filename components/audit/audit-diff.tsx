import { cn } from '@/lib/cn';

function flatten(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return { value: JSON.stringify(value) };
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      typeof item === 'string' ? item : JSON.stringify(item),
    ]),
  );
}

/** Before and after, field by field; changed fields are marked. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const left = flatten(before);
  const right = flatten(after);
  const fields = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  if (fields.length === 0) return <p className="text-sm text-slate-500">No before or after values were recorded.</p>;
  return (
    <table className="w-full text-sm" aria-label="Changes">
      <thead>
        <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
          <th className="w-48 py-1 pr-4 font-semibold">Field</th>
          <th className="py-1 pr-4 font-semibold">Before</th>
          <th className="py-1 font-semibold">After</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field) => {
          const changed = left[field] !== right[field];
          return (
            <tr key={field} className={cn(changed && 'bg-amber-50')}>
              <td className="py-1 pr-4 font-mono text-xs text-slate-600">
                {field}
                {changed ? <span className="sr-only"> (changed)</span> : null}
              </td>
              <td
                className={cn(
                  'py-1 pr-4 font-mono text-xs break-all',
                  changed && 'text-red-700 line-through decoration-red-300',
                )}
              >
                {left[field] ?? '—'}
              </td>
              <td className={cn('py-1 font-mono text-xs break-all', changed && 'text-emerald-800')}>
                {right[field] ?? '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
