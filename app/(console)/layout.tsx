import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/shell/console-shell';
import { NAVIGATION } from '@/components/shell/navigation';
import { TraceSearch } from '@/components/trace/trace-search';
import { requireUser } from '@/server/auth/current-user';
import { can, ROLE_LABELS } from '@/server/auth/permissions';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const nav = NAVIGATION.filter((item) => can(user.role, item.permission)).map(({ href, label }) => ({ href, label }));
  return (
    <ConsoleShell
      nav={nav}
      user={{ name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role] }}
      headerActions={
        // Any external id, from any page; on narrower screens the Record trace page has the search.
        <div className="hidden xl:block">
          <TraceSearch compact id="trace-q-shell" name="Trace a record from any page" />
        </div>
      }
    >
      {children}
    </ConsoleShell>
  );
}
