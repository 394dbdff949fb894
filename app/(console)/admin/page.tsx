import type { Metadata } from 'next';
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { requireUser } from '@/server/auth/current-user';
import { can, type Permission } from '@/server/auth/permissions';

export const metadata: Metadata = { title: 'Admin' };

const SECTIONS: { href: string; title: string; description: string; permission: Permission }[] = [
  {
    href: '/admin/users',
    title: 'Users',
    description: 'Who can sign in, and with which role.',
    permission: 'users.view',
  },
  {
    href: '/admin/connections',
    title: 'Connections & schedules',
    description: 'Connected services and their health, credentials, and when each routine runs.',
    permission: 'runs.view',
  },
  {
    href: '/admin/ownership',
    title: 'Ownership rules',
    description: 'Which system is the system of record for each object and attribute, and who owns it.',
    permission: 'runs.view',
  },
  {
    href: '/admin/mappings',
    title: 'Field mappings',
    description: 'How each system’s values map to Syncwright’s per connection and legal entity, with a live preview.',
    permission: 'runs.view',
  },
  {
    href: '/admin/routing',
    title: 'Routing rules',
    description: 'Which team, priority and due time a new exception gets, rule by rule in order.',
    permission: 'runs.view',
  },
  {
    href: '/admin/fx-rates',
    title: 'Exchange rates',
    description: 'The dated rates the dashboards convert each entity’s amounts into the reporting currency with.',
    permission: 'dashboards.view',
  },
  {
    href: '/admin/webhooks',
    title: 'Team webhooks',
    description: 'Where each team’s exception notifications are posted, signed with its shared secret.',
    permission: 'governance.manage',
  },
];

export default async function AdminPage() {
  const user = await requireUser('runs.view');
  const sections = SECTIONS.filter((section) => can(user.role, section.permission));
  return (
    <>
      <PageHeader title="Admin" description="Govern who uses Syncwright and what it connects to." />
      <ul className="grid gap-4 sm:grid-cols-2">
        {sections.map((section) => (
          <li key={section.href}>
            <Card className="h-full p-4">
              <Link href={section.href} className="font-semibold text-brand-700 hover:underline">
                {section.title}
              </Link>
              <p className="mt-1 text-sm text-slate-600">{section.description}</p>
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}
