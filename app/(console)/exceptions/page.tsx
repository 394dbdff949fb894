import type { Metadata } from 'next';
import { ComingNext } from '@/components/shell/coming-next';
import { requireUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Exceptions' };

export default async function ExceptionsPage() {
  await requireUser('exceptions.view');
  return (
    <ComingNext
      title="Exceptions"
      description="Every record the pipeline could not deliver, owned by a team, with a safe replay."
      items={[
        'Open exceptions by code (TAX_CODE_MISSING, RATE_CARD_MISSING, CUSTOMER_UNRESOLVED, …), routine, entity, team and priority',
        'Assignment, status, comments and full history for each exception',
        'Dry-run and replay — one or a filtered set — with the same idempotency key, so nothing is created twice',
      ]}
    />
  );
}
