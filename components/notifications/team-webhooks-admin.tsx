'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { useTRPC } from '@/components/trpc/trpc';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, Loading } from '@/components/ui/states';
import { errorMessage } from '@/lib/error-message';
import type { AppRouter } from '@/server/api/root';

const TEAMS = [
  { team: 'finance', label: 'Finance' },
  { team: 'operations', label: 'Operations' },
  { team: 'integration', label: 'Integration' },
] as const;
type Saved = inferRouterOutputs<AppRouter>['notifications']['teamWebhooks'][number];
type Team = Saved['team'];

/** Each team's outgoing webhook: where assignments and overdue exceptions are posted, signed. */
export function TeamWebhooksAdmin() {
  const trpc = useTRPC();
  const webhooks = useQuery(trpc.notifications.teamWebhooks.queryOptions());
  return (
    <>
      <PageHeader
        title="Team webhooks"
        description="Where each team's notifications are posted (a Slack or Teams incoming webhook, or any HTTPS endpoint), besides the bell in the console. Each message is signed with the team's shared secret."
      />
      {webhooks.isPending ? (
        <Loading label="Loading team webhooks…" />
      ) : webhooks.isError ? (
        <ErrorState message={errorMessage(webhooks.error)} onRetry={() => void webhooks.refetch()} />
      ) : (
        <div className="grid gap-4 lg:grid-cols-3">
          {TEAMS.map((entry) => (
            <TeamWebhookForm key={entry.team} {...entry} saved={webhooks.data.find((w) => w.team === entry.team)} />
          ))}
        </div>
      )}
      <p className="mt-6 max-w-3xl text-sm text-slate-600">
        A receiver checks a message by recomputing <code>v1=</code> HMAC-SHA256 of <code>timestamp.body</code> with the
        shared secret, from the <code>x-syncwright-timestamp</code> and <code>x-syncwright-signature</code> headers. A
        receiver that does not answer 2xx is tried again for about an hour.
      </p>
    </>
  );
}

function TeamWebhookForm({ team, label, saved }: { team: Team; label: string; saved: Saved | undefined }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const configure = useMutation(
    trpc.notifications.configureTeamWebhook.mutationOptions({
      onSuccess: (result) => {
        setError(null);
        toast.success(`${label} webhook saved${result.enabled ? '' : ', switched off'}.`);
        void queryClient.invalidateQueries({ queryKey: trpc.notifications.teamWebhooks.queryKey() });
      },
      onError: (err) => setError(errorMessage(err)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const secret = String(form.get('secret') ?? '');
    configure.mutate({
      team,
      url: String(form.get('url') ?? '').trim(),
      // Blank keeps the saved secret, which is never shown.
      secret: secret === '' ? undefined : secret,
      enabled: form.get('enabled') === 'on',
    });
  }

  const id = (name: string) => `webhook-${team}-${name}`;
  return (
    <Card className="p-4">
      <form onSubmit={onSubmit} className="space-y-4" noValidate aria-labelledby={id('title')}>
        <div className="flex items-start justify-between gap-2">
          <div>
            <h2 id={id('title')} className="font-semibold">
              {label} team
            </h2>
            <p className="text-xs text-slate-500">The team&apos;s exceptions when assigned or overdue.</p>
          </div>
          {saved ? (
            <Badge tone={saved.enabled ? 'success' : 'neutral'}>{saved.enabled ? 'On' : 'Off'}</Badge>
          ) : (
            <Badge>Not set</Badge>
          )}
        </div>
        {error ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            {error}
          </p>
        ) : null}
        <Field id={id('url')} label="Webhook address">
          <Input
            id={id('url')}
            name="url"
            type="url"
            required
            defaultValue={saved?.url ?? ''}
            placeholder="https://hooks.example.com/…"
            autoComplete="off"
          />
        </Field>
        <Field
          id={id('secret')}
          label="Shared secret"
          hint={
            saved
              ? 'Leave blank to keep the saved secret; a new address needs it again.'
              : 'At least 16 characters; the receiver checks signatures with it.'
          }
        >
          <Input
            id={id('secret')}
            name="secret"
            type="password"
            autoComplete="new-password"
            aria-describedby={id('secret-hint')}
          />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={saved?.enabled ?? true} className="size-4" />
          Send notifications to this webhook
        </label>
        <Button type="submit" disabled={configure.isPending} aria-label={`Save the ${label} webhook`}>
          {configure.isPending ? 'Saving…' : 'Save'}
        </Button>
      </form>
    </Card>
  );
}
