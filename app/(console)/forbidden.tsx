import { headers } from 'next/headers';
import Link from 'next/link';
import { NAVIGATION } from '@/components/shell/navigation';
import { PageHeader } from '@/components/ui/page-header';
import { Card } from '@/components/ui/card';
import { REQUEST_PATH_HEADER } from '@/lib/request-path';
import { getCurrentUser } from '@/server/auth/current-user';
import { can, ROLE_LABELS, ROLES } from '@/server/auth/permissions';

/** A console page the user's role does not include: said in the console, at the address asked for. */
export default async function NotAvailableToYourRole() {
  const user = await getCurrentUser();
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? '';
  const pathname = path.split('?')[0] ?? '';
  // The section the address belongs to, by its first segment (as the navigation marks the current one).
  const top = (href: string) => `/${href.split('/')[1] ?? ''}`;
  const section = NAVIGATION.find((item) => top(item.href) === top(pathname));
  const roles = section ? ROLES.filter((role) => can(role, section.permission)).map((role) => ROLE_LABELS[role]) : [];
  return (
    <>
      <PageHeader title="Not available to your role" />
      <Card className="p-6">
        <p className="text-sm text-slate-800">
          {section ? (
            <>
              <strong>{section.label}</strong> is open to the {listed(roles)} role{roles.length === 1 ? '' : 's'}
            </>
          ) : (
            'This page is not open to your role'
          )}
          {user ? `; you are signed in as ${ROLE_LABELS[user.role]}.` : '.'} Ask an admin if you need it.
        </p>
        <Link href="/dashboards" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
          Go to the dashboards
        </Link>
      </Card>
    </>
  );
}

function listed(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
