'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import { CREDENTIAL_FIELDS } from '@/lib/connection-credentials';
import { errorMessage } from '@/lib/error-message';
import { SYSTEM_LABELS } from '@/lib/system-labels';
import { fieldErrors } from './field-errors';

type System = keyof typeof SYSTEM_LABELS;

export interface EditableConnection {
  id: string;
  name: string;
  system: System;
  baseUrl: string;
  enabled: boolean;
  legalEntityIds: string[];
  credentials: Record<string, string> | null;
}

/**
 * New connection, edit, or rotate credentials (mode "rotate": only the credentials, all of
 * them required). Credentials are write-only: the form shows their masks, never their values.
 */
export function ConnectionDialog({
  mode,
  connection,
  legalEntities,
  open,
  onOpenChange,
  onSaved,
}: {
  mode: 'create' | 'edit' | 'rotate';
  connection: EditableConnection | null;
  legalEntities: { id: string; name: string }[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [system, setSystem] = useState<System>(connection?.system ?? 'stripe');
  const handlers = {
    onSuccess: () => {
      toast.success(
        mode === 'rotate'
          ? `Credentials of ${connection?.name} replaced. Use “Test connection” to check them.`
          : 'Connection saved.',
      );
      setErrors({});
      onOpenChange(false);
      onSaved();
    },
    onError: (error: unknown) => {
      const byField = fieldErrors(error);
      setErrors(Object.keys(byField).length ? byField : { form: errorMessage(error) });
    },
  };
  const create = useMutation(trpc.connections.create.mutationOptions(handlers));
  const update = useMutation(trpc.connections.update.mutationOptions(handlers));
  const pending = create.isPending || update.isPending;
  const prefix = `connection-${mode}`;
  const fields = CREDENTIAL_FIELDS[connection?.system ?? system];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const credentials = Object.fromEntries(fields.map((f) => [f.key, String(form.get(`credentials.${f.key}`) ?? '')]));
    if (mode === 'rotate' && connection) {
      const missing = fields.filter((f) => !credentials[f.key]?.trim());
      if (missing.length) {
        setErrors({ [`credentials.${missing[0]!.key}`]: `Enter the new ${missing[0]!.label.toLowerCase()}.` });
        return;
      }
      update.mutate({
        id: connection.id,
        name: connection.name,
        baseUrl: connection.baseUrl,
        legalEntityIds: connection.legalEntityIds,
        enabled: connection.enabled,
        credentials,
      });
      return;
    }
    const change = {
      name: String(form.get('name') ?? ''),
      baseUrl: String(form.get('baseUrl') ?? ''),
      legalEntityIds: form.getAll('legalEntityIds').map(String),
      enabled: form.get('enabled') === 'on',
      credentials,
    };
    if (mode === 'edit' && connection) update.mutate({ id: connection.id, ...change });
    else create.mutate({ ...change, system });
  }

  const invalid = (field: string) =>
    errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${prefix}-${field.replace('.', '-')}-error` } : {};
  const title =
    mode === 'create'
      ? 'New connection'
      : mode === 'edit'
        ? `Edit ${connection?.name}`
        : `Rotate credentials of ${connection?.name}`;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setErrors({});
        onOpenChange(next);
      }}
      title={title}
      description={
        mode === 'rotate'
          ? 'The new credentials replace the stored ones at once; runs use them from their next request.'
          : 'Credentials are stored encrypted and never shown again; leave a credential blank to keep it.'
      }
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {errors.form ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {errors.form}
          </p>
        ) : null}
        {mode !== 'rotate' ? (
          <>
            <Field id={`${prefix}-name`} label="Name" error={errors.name}>
              <Input
                id={`${prefix}-name`}
                name="name"
                defaultValue={connection?.name}
                autoComplete="off"
                {...invalid('name')}
              />
            </Field>
            {mode === 'create' ? (
              <Field id={`${prefix}-system`} label="System">
                <Select
                  id={`${prefix}-system`}
                  value={system}
                  onChange={(event) => setSystem(event.target.value as System)}
                >
                  {(Object.keys(SYSTEM_LABELS) as System[]).map((s) => (
                    <option key={s} value={s}>
                      {SYSTEM_LABELS[s]}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
            <Field
              id={`${prefix}-baseUrl`}
              label="Base URL"
              error={errors.baseUrl}
              hint="The service's address, starting with https:// (or http:// for a local sandbox)."
            >
              <Input
                id={`${prefix}-baseUrl`}
                name="baseUrl"
                type="url"
                defaultValue={connection?.baseUrl}
                autoComplete="off"
                {...invalid('baseUrl')}
              />
            </Field>
            <fieldset className="space-y-1" {...invalid('legalEntityIds')}>
              <legend className="text-sm font-medium text-slate-700">Legal entities served</legend>
              <div className="flex flex-wrap gap-4">
                {legalEntities.map((entity) => (
                  <label key={entity.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      name="legalEntityIds"
                      value={entity.id}
                      defaultChecked={connection?.legalEntityIds.includes(entity.id)}
                    />
                    {entity.id} · {entity.name}
                  </label>
                ))}
              </div>
              {errors.legalEntityIds ? (
                <p id={`${prefix}-legalEntityIds-error`} className="text-sm text-red-700">
                  {errors.legalEntityIds}
                </p>
              ) : null}
            </fieldset>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="enabled" defaultChecked={connection?.enabled ?? true} />
              Enabled (routines use this connection)
            </label>
          </>
        ) : null}
        {fields.map((f) => {
          const id = `${prefix}-credentials-${f.key}`;
          const stored = connection?.credentials?.[f.key];
          return (
            <Field
              key={`${system}-${f.key}`}
              id={id}
              label={mode === 'rotate' ? `New ${f.label.toLowerCase()}` : f.label}
              error={errors[`credentials.${f.key}`]}
              hint={stored ? `Stored: ${stored}${mode === 'edit' ? ' — leave blank to keep it.' : ''}` : undefined}
            >
              <Input
                id={id}
                name={`credentials.${f.key}`}
                type={f.secret ? 'password' : 'text'}
                autoComplete="off"
                {...invalid(`credentials.${f.key}`)}
              />
            </Field>
          );
        })}
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Saving…' : mode === 'rotate' ? 'Replace credentials' : 'Save connection'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
