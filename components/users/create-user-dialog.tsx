'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { errorMessage } from '@/lib/error-message';
import type { Role } from '@/server/auth/permissions';
import { fieldErrors } from './form-errors';

export function CreateUserDialog({
  open,
  onOpenChange,
  roles,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  roles: { value: Role; label: string }[];
  onCreated: () => void;
}) {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: (_data, input) => {
        toast.success(`${input.email} can now sign in.`);
        setErrors({});
        onOpenChange(false);
        onCreated();
      },
      onError: (error) => {
        const byField = fieldErrors(error);
        setErrors(Object.keys(byField).length ? byField : { form: errorMessage(error) });
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? ''),
      role: String(form.get('role') ?? 'finance') as Role,
      password: String(form.get('password') ?? ''),
    });
  }

  const invalid = (field: string) =>
    errors[field] ? { 'aria-invalid': true, 'aria-describedby': `new-${field}-error` } : {};

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setErrors({});
        onOpenChange(next);
      }}
      title="New user"
      description="They sign in with this email and the password you set; share it with them privately."
    >
      {/* The server checks every field and answers with a sentence next to it; no browser bubbles. */}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {errors.form ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {errors.form}
          </p>
        ) : null}
        <Field id="new-name" label="Full name" error={errors.name}>
          <Input id="new-name" name="name" required autoComplete="off" {...invalid('name')} />
        </Field>
        <Field id="new-email" label="Email" error={errors.email}>
          <Input id="new-email" name="email" type="email" required autoComplete="off" {...invalid('email')} />
        </Field>
        <Field id="new-role" label="Role" error={errors.role}>
          <Select id="new-role" name="role" defaultValue="finance">
            {roles.map((role) => (
              <option key={role.value} value={role.value}>
                {role.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="new-password" label="Initial password" error={errors.password} hint="At least 12 characters.">
          <Input
            id="new-password"
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            {...invalid('password')}
          />
        </Field>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create user'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
