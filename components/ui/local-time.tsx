'use client';

import { useSyncExternalStore } from 'react';
import { formatDateTime, readerTimeZone } from '@/lib/format';

const noSubscription = () => () => {};

/**
 * A moment in the reader's own time zone, labelled with it ("26 Nov 2026, 14:05:09 CET"). The
 * server does not know the reader's zone, so it renders a placeholder and the browser fills the
 * time in once hydrated: both render the same first markup (no hydration mismatch).
 */
export function LocalTime({ value, className }: { value: Date | string | null | undefined; className?: string }) {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (!value) return <span className={className}>—</span>;
  const date = typeof value === 'string' ? new Date(value) : value;
  return (
    <time dateTime={date.toISOString()} className={className} title={date.toISOString()}>
      {hydrated ? formatDateTime(date) : '…'}
    </time>
  );
}

/** Which zone the page's times are in, named once near them: "Times are in your time zone, Europe/Berlin." */
export function TimeZoneNote({ className }: { className?: string }) {
  const zone = useSyncExternalStore(
    noSubscription,
    () => readerTimeZone(),
    () => null,
  );
  return <span className={className}>Times are in your time zone{zone ? `, ${zone}` : ''}.</span>;
}
