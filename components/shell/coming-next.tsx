import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';

/** A section whose data arrives with the sync engine; it says what will be here. */
export function ComingNext({ title, description, items }: { title: string; description: string; items: string[] }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <Card className="p-6">
        <p className="text-sm font-medium text-slate-800">Nothing to show yet: no sync routine has run.</p>
        <p className="mt-1 text-sm text-slate-600">Once the connections are synchronising, this page shows:</p>
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
