import { TRPCClientError } from '@trpc/client';

/** The server's refusals of a form, keyed by the field they are about (dotted path). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof TRPCClientError)) return {};
  const list = (error.data as { fieldErrors?: { path: string[]; message: string }[] | null } | undefined)?.fieldErrors;
  return Object.fromEntries((list ?? []).map((e) => [e.path.join('.') || 'form', e.message]));
}
