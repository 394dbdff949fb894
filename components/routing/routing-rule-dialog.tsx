'use client';

import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input, Select } from '@/components/ui/field';
import {
  PRIORITIES,
  priorityLabel,
  TEAMS,
  teamLabel,
  type RoutingChoices,
  type RoutingField,
  type RoutingProblem,
  type WorkingRule,
} from './routing-rows';

/**
 * Adds or edits one routing rule. `onApply` checks the rule with the server and answers its
 * problems, which are shown next to their fields; without problems the dialog closes.
 */
export function RoutingRuleDialog({
  open,
  title,
  rule,
  choices,
  problems: initialProblems,
  onApply,
  onClose,
}: {
  open: boolean;
  title: string;
  rule: WorkingRule;
  choices: RoutingChoices;
  problems: RoutingProblem[];
  onApply: (rule: WorkingRule) => Promise<RoutingProblem[]>;
  onClose: () => void;
}) {
  const [draft, setDraft] = useState(rule);
  const [problems, setProblems] = useState(initialProblems);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const set = (patch: Partial<WorkingRule>) => setDraft((d) => ({ ...d, ...patch }));
  const problem = (field: RoutingField) =>
    problems
      .filter((p) => p.field === field)
      .map((p) => p.message)
      .join(' ') || null;
  const describedBy = (field: RoutingField, id: string) => (problem(field) ? `${id}-error` : undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const found = await onApply(draft);
      setProblems(found);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'The rule could not be checked. Try again.');
    } finally {
      setPending(false);
    }
  }

  const select = (
    id: string,
    label: string,
    field: RoutingField,
    value: string,
    options: { value: string; label: string }[],
    any: string,
  ) => (
    <Field id={id} label={label} error={problem(field)}>
      <Select
        id={id}
        value={value}
        aria-invalid={problem(field) ? true : undefined}
        aria-describedby={describedBy(field, id)}
        onChange={(e) => set({ [field]: e.target.value })}
      >
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </Field>
  );

  const amount = (id: string, label: string, field: 'minAmount' | 'maxAmount') => (
    <Field id={id} label={label} error={problem(field)}>
      <Input
        id={id}
        inputMode="decimal"
        value={draft[field]}
        placeholder="No limit"
        aria-invalid={problem(field) ? true : undefined}
        aria-describedby={describedBy(field, id)}
        onChange={(e) => set({ [field]: e.target.value })}
      />
    </Field>
  );

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? undefined : onClose())}
      title={title}
      description="A new exception takes the team, priority and due time of the first enabled rule it matches. Leave a match field at “Any” to match everything."
    >
      <form onSubmit={(e) => void onSubmit(e)} className="max-h-[70vh] space-y-4 overflow-y-auto pr-1" noValidate>
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">Matches</legend>
          {select('rule-routine', 'Routine', 'routine', draft.routine, choices.routines, 'Any routine')}
          {select(
            'rule-code',
            'Exception code',
            'code',
            draft.code,
            choices.codes.map((c) => ({ value: c.value, label: `${c.value} — ${c.label}` })),
            'Any code',
          )}
          {select(
            'rule-entity',
            'Legal entity',
            'legalEntityId',
            draft.legalEntityId,
            choices.legalEntities.map((e) => ({ value: e.value, label: `${e.value} — ${e.label}` })),
            'Any legal entity',
          )}
          {select(
            'rule-currency',
            'Amount currency',
            'amountCurrency',
            draft.amountCurrency,
            choices.currencies.map((c) => ({ value: c, label: c })),
            'No amount range',
          )}
          {amount('rule-min', 'Minimum amount', 'minAmount')}
          {amount('rule-max', 'Maximum amount', 'maxAmount')}
        </fieldset>
        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 text-sm font-semibold">Places the exception with</legend>
          <Field id="rule-team" label="Team">
            <Select
              id="rule-team"
              value={draft.team}
              onChange={(e) => set({ team: e.target.value as WorkingRule['team'] })}
            >
              {TEAMS.map((t) => (
                <option key={t} value={t}>
                  {teamLabel(t)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="rule-priority" label="Priority">
            <Select
              id="rule-priority"
              value={draft.priority}
              onChange={(e) => set({ priority: e.target.value as WorkingRule['priority'] })}
            >
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {priorityLabel(p)}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="rule-due" label="Due in (hours)" error={problem('dueHours')}>
            <Input
              id="rule-due"
              type="number"
              min={1}
              step={1}
              value={draft.dueHours}
              aria-invalid={problem('dueHours') ? true : undefined}
              aria-describedby={describedBy('dueHours', 'rule-due')}
              onChange={(e) => set({ dueHours: e.target.value })}
            />
          </Field>
        </fieldset>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          Enabled (a disabled rule is kept but matches nothing)
        </label>
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={pending}>
            {pending ? 'Checking…' : 'Apply'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
