import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/auth/change-password-form';
import { getCurrentUser } from '@/server/auth/current-user';

export const metadata: Metadata = { title: 'Change password' };
export const dynamic = 'force-dynamic';

export default async function ChangePasswordPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/signin?callbackUrl=/change-password');
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <ChangePasswordForm required={user.mustChangePassword} />
      </div>
    </main>
  );
}
