import Link from 'next/link';

export default function ExceptionNotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-xl font-semibold">No exception has this id</h1>
      <p className="mt-2 text-sm text-slate-600">
        The link may be mistyped or cut short. Exceptions are never deleted, so one you saw before is still in the
        queue.
      </p>
      <Link href="/exceptions" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
        Back to the exceptions
      </Link>
    </div>
  );
}
