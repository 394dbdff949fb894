import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit/audit-log';
import { requireUser } from '@/server/auth/current-user';
import { can } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage() {
  const user = await requireUser('audit.view');
  return <AuditLog canVerify={can(user.role, 'audit.verify')} canExport={can(user.role, 'audit.export')} />;
}
