import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Dashboards' };

export default async function DashboardsPage() {
  await requireUser('dashboards.view');
  return (
    <ComingNext
      title="Dashboards"
      description="Where money and projects are stuck, by legal entity, reconciled to the cent with the records beneath."
      items={[
        'Unbilled approved work by legal entity and age (0–7, 8–30, 31–60, 61+ days), in entity and reporting currency, with a 12-week trend',
        'Stuck project activations: closed-won deals without an active project past the SLA, with the exception holding each',
        'Sync lag by entity: freshness, p50/p95 end-to-end latency and backlog per routine',
        'Invoice rejections per week by reason, and exception health by team',
      ]}
    />
  );
}
