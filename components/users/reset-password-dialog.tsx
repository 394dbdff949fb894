'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { errorMessage } from '@/lib/error-message';
import { fieldErrors } from './form-errors';

export function ResetPasswordDialog({
  user,
  onClose,
}: {
  user: { id: string; email: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const reset = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: (result) => {
        toast.success(`Password changed; ${result.sessionsEnded} session(s) signed out.`);
        setError(null);
        onClose();
      },
      onError: (err) => setError(fieldErrors(err).password ?? errorMessage(err)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!user) return;
    reset.mutate({ userId: user.id, password: String(new FormData(event.currentTarget).get('password') ?? '') });
  }

  return (
    <Dialog
      open={user !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onClose();
        }
      }}
      title="Reset password"
      description={user ? `Set a new password for ${user.email}. They are signed out everywhere.` : undefined}
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field id="reset-password" label="New password" error={error} hint="At least 12 characters.">
          <Input
            id="reset-password"
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            aria-invalid={error ? true : undefined}
          />
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={reset.isPending}>
            {reset.isPending ? 'Saving…' : 'Set password'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
