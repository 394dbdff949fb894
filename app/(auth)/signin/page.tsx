import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { SIGN_IN_ERRORS, ssoProvider } from '@/server/auth/auth-options';
import { getCurrentUser } from '@/server/auth/current-user';
import { safeCallback } from '@/lib/safe-callback';

export const metadata: Metadata = { title: 'Sign in' };

const NOTICES: Record<string, string> = {
  signed_out: 'Your session has ended. Sign in again to continue.',
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  if (await getCurrentUser()) redirect(safeCallback(params.callbackUrl));
  const error = params.error
    ? (SIGN_IN_ERRORS[params.error as keyof typeof SIGN_IN_ERRORS] ?? 'Sign-in failed. Try again.')
    : null;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <p className="text-2xl font-semibold tracking-tight text-brand-900">Syncwright</p>
          <p className="mt-1 text-sm text-slate-600">Opportunity-to-cash, governed.</p>
        </div>
        <SignInForm
          callbackUrl={safeCallback(params.callbackUrl)}
          initialError={error}
          notice={params.reason ? (NOTICES[params.reason] ?? null) : null}
          sso={ssoProvider}
          messages={SIGN_IN_ERRORS}
        />
      </div>
    </main>
  );
}
