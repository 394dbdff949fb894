import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="max-w-md text-center">
        <h1 className="text-xl font-semibold">Page not found</h1>
        <Link href="/dashboards" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Back to the dashboards
        </Link>
      </div>
    </main>
  );
}
