const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** A moment as the reader's local date and time, e.g. "26 Nov 2026, 14:05:09". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  return dateTime.format(typeof value === 'string' ? new Date(value) : value);
}
