import { AppError } from '@/server/errors';

/** The reason a published version of governed rules carries: required, trimmed, at least five characters. */
export function publishReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 5)
    throw new AppError('BAD_REQUEST', 'Say why you publish these rules (at least 5 characters).', { field: 'reason' });
  return trimmed;
}
