import { cn } from '@/lib/cn';
import type { ExceptionView } from './exception-types';

const shown = (value: unknown) =>
  value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

/** The source record as it was held, with the fields the failed check reads marked. */
export function RecordSnapshot({ exception }: { exception: ExceptionView }) {
  const record = exception.record;
  if (!record) return <p className="p-4 text-sm text-slate-600">This exception holds no record snapshot.</p>;
  const involved = new Set(exception.involvedFields);
  const fields = Object.entries(record.fields);
  return (
    <table className="w-full text-sm" aria-label="Record snapshot">
      <caption className="sr-only">
        {record.objectType} {record.externalId}, with the fields the check involved marked
      </caption>
      <thead>
        <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
          <th scope="col" className="px-4 py-2 font-medium">
            Field
          </th>
          <th scope="col" className="px-4 py-2 font-medium">
            Value
          </th>
        </tr>
      </thead>
      <tbody>
        {fields.map(([field, value]) => (
          <tr
            key={field}
            className={cn('border-b border-slate-100 last:border-0', involved.has(field) && 'bg-amber-50')}
          >
            <th scope="row" className="px-4 py-1.5 text-left font-mono text-xs font-normal text-slate-700">
              {field}
              {involved.has(field) ? (
                <span className="ml-2 rounded bg-amber-200 px-1 font-sans text-[10px] font-semibold uppercase text-amber-900">
                  involved
                </span>
              ) : null}
            </th>
            <td className="break-all px-4 py-1.5 font-mono text-xs">{shown(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
