import { TRPCClientError } from '@trpc/client';

/** Field errors the server returned for a form, keyed by field name. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const list = (error.data as { fieldErrors?: { path: string[]; message: string }[] | null } | undefined)?.fieldErrors;
  return Object.fromEntries((list ?? []).map((e) => [e.path[0] ?? 'form', e.message]));
}
