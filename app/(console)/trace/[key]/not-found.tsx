import Link from 'next/link';

export default function TraceNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-xl font-semibold">No synced record has this trace key</h1>
      <p className="mt-2 text-sm text-slate-600">
        The link may be mistyped or cut short. Search by the record’s external id instead.
      </p>
      <Link href="/trace" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
        Search for a record
      </Link>
    </div>
  );
}
