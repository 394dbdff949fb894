'use client';

import { useSyncExternalStore } from 'react';
import { formatFromNow } from './format-duration';

const noSubscription = () => () => {};

/** "in 3 min": read from the browser's clock once hydrated, so server and browser render alike. */
export function FromNow({ at }: { at: Date }) {
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  return <>{hydrated ? formatFromNow(at) : '…'}</>;
}
