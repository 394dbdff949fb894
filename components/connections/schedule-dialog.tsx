'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { errorMessage } from '@/lib/error-message';
import { fieldErrors } from './field-errors';
import { formatInZone, useBrowserTimeZone } from './time-zone';

export interface EditableSchedule {
  routine: 'project_activation' | 'billing_eligibility' | 'invoice_status' | 'change_orders';
  label: string;
  cron: string | null;
  batchSize: number | null;
  enabled: boolean;
}

/** A routine's cron, batch size and state, with the next five runs of the cron as typed. */
export function ScheduleDialog({
  schedule,
  batchSize,
  open,
  onOpenChange,
  onSaved,
}: {
  schedule: EditableSchedule;
  batchSize: { min: number; max: number };
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const zone = useBrowserTimeZone();
  const [cron, setCron] = useState(schedule.cron ?? '0 * * * *');
  const [typed, setTyped] = useState(cron);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The preview follows the typing after a short pause, not every key.
  useEffect(() => {
    const timer = setTimeout(() => setCron(typed), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const preview = useQuery(trpc.schedules.preview.queryOptions({ cron }, { enabled: open && cron.trim() !== '' }));
  const update = useMutation(
    trpc.schedules.update.mutationOptions({
      onSuccess: (result) => {
        toast.success(result.message);
        setErrors({});
        onOpenChange(false);
        onSaved();
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
    update.mutate({
      routine: schedule.routine,
      cron: typed,
      batchSize: Number(form.get('batchSize')),
      enabled: form.get('enabled') === 'on',
    });
  }
  const id = (field: string) => `schedule-${schedule.routine}-${field}`;
  const invalid = (field: string) =>
    errors[field] ? { 'aria-invalid': true, 'aria-describedby': `${id(field)}-error` } : {};
  const cronProblem = errors.cron ?? (preview.data && !preview.data.ok ? preview.data.error : null);

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setErrors({});
        onOpenChange(next);
      }}
      title={`${schedule.label} schedule`}
      description="Schedules are kept in UTC; the next runs are shown in your time zone."
    >
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {errors.form ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            {errors.form}
          </p>
        ) : null}
        <Field
          id={id('cron')}
          label="Cron (minute hour day month weekday, UTC)"
          error={cronProblem}
          hint="For example */15 * * * * (every 15 minutes) or 30 6 * * 1-5 (06:30 on weekdays)."
        >
          <Input
            id={id('cron')}
            name="cron"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            className="font-mono"
            {...(cronProblem ? { 'aria-invalid': true, 'aria-describedby': `${id('cron')}-error` } : {})}
          />
        </Field>
        {preview.data?.ok ? (
          <section aria-label="Next five runs" className="rounded-md bg-slate-50 p-3 text-sm">
            <h3 className="font-medium">
              Next five runs <span className="font-normal text-slate-600">(your time zone: {zone})</span>
            </h3>
            {preview.data.description ? <p className="text-slate-600">{preview.data.description} (UTC)</p> : null}
            <ol className="mt-1 list-decimal pl-5">
              {preview.data.nextRuns.map((at) => (
                <li key={at.toISOString()}>{formatInZone(at, zone)}</li>
              ))}
            </ol>
          </section>
        ) : null}
        <Field
          id={id('batchSize')}
          label="Batch size"
          error={errors.batchSize}
          hint={`Records per batch, ${batchSize.min}–${batchSize.max}.`}
        >
          <Input
            id={id('batchSize')}
            name="batchSize"
            type="number"
            min={batchSize.min}
            max={batchSize.max}
            defaultValue={schedule.batchSize ?? 500}
            {...invalid('batchSize')}
          />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={schedule.enabled} />
          Enabled (unticked: paused — no new run starts; a run under way finishes)
        </label>
        <div className="flex justify-end gap-2 pt-2">
          <Button variant="secondary" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save schedule'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
