'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { useTRPC } from '@/components/trpc/trpc';
import { errorMessage } from '@/lib/error-message';

export function ChangePasswordForm({ required }: { required: boolean }) {
  const trpc = useTRPC();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation(
    trpc.session.changePassword.mutationOptions({
      // A full load: the console's pages are opened afresh for the unlocked session.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      onSuccess: () => window.location.assign('/'),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('newPassword') ?? '');
    setMismatch(newPassword !== String(form.get('confirmPassword') ?? ''));
    if (newPassword !== String(form.get('confirmPassword') ?? '')) return;
    change.mutate({ currentPassword: String(form.get('currentPassword') ?? ''), newPassword });
  }

  const error = mismatch ? 'The two new passwords differ.' : change.error ? errorMessage(change.error) : null;
  return (
    <Card className="p-6">
      <h1 className="mb-2 text-lg font-semibold">Change your password</h1>
      {required ? (
        <p role="status" className="mb-4 rounded-md bg-brand-50 p-3 text-sm text-brand-900">
          An admin set your password. Choose your own before you continue.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="space-y-4">
        <Field id="currentPassword" label="Current password">
          <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        <Field id="newPassword" label="New password" hint="At least 12 characters; not a common password.">
          <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required />
        </Field>
        <Field id="confirmPassword" label="New password again">
          <Input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" required />
        </Field>
        <Button type="submit" className="w-full" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </Button>
      </form>
    </Card>
  );
}
