const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'long',
});

/**
 * A moment as the reader's local date and time with its zone, e.g. "26 Nov 2026, 14:05:09 CET".
 * The console's one rule for times: the reader's zone, always labelled. In pages, render it with
 * `LocalTime`, which formats in the browser only (the server does not know the reader's zone).
 */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  return dateTime.format(typeof value === 'string' ? new Date(value) : value);
}

/** The reader's time zone by name, e.g. "Europe/Berlin". */
export function readerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
