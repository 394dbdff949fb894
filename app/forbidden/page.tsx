import Link from 'next/link';

export default function ForbiddenPage() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">Not available to your role</h1>
        <p className="mt-2 text-sm text-slate-600">
          Your role does not include this page. Ask an admin if you need it.
        </p>
        <Link href="/dashboards" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Back to the dashboards
        </Link>
      </div>
    </main>
  );
}
