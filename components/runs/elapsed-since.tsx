'use client';

import { useEffect, useState } from 'react';
import { formatDuration } from './format-duration';

/** Time since a moment, ticking each second; blank until mounted, so server and browser agree. */
export function ElapsedSince({ since }: { since: Date }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return <>{now === null ? '…' : formatDuration(now - since.getTime())}</>;
}
