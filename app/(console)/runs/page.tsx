import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Sync runs' };

export default async function RunsPage() {
  await requireUser('runs.view');
  return (
    <ComingNext
      title="Sync runs"
      description="Each run of each routine, per connection and legal entity."
      items={[
        'Project activation, billing eligibility, invoice status and change-order runs with their status, counts by outcome, duration and lag',
        '"Run now" for a routine, for those allowed to start one',
      ]}
    />
  );
}
