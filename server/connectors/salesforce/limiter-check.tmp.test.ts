import { it, expect } from 'vitest';
import { RequestLimiter } from '@/server/connectors/request-limiter';
it('max in flight', async () => {
  const limiter = new RequestLimiter({ maxConcurrent: 1, perSecond: null });
  let active = 0, peak = 0;
  const task = () => limiter.run(async () => { active++; peak = Math.max(peak, active); await new Promise(r => setTimeout(r, 5)); active--; });
  const first = task();
  const second = task(); // waits in queue
  // a third caller arriving in a microtask queued before the waiter resumes
  const third = first.then(() => undefined);
  void third;
  // schedule a caller right when the first releases
  const p: Promise<void>[] = [];
  setTimeout(() => {}, 0);
  await new Promise(r => setTimeout(r, 1));
  // call a run from a microtask that is queued during release: hook via a thenable inside the call
  const l2 = new RequestLimiter({ maxConcurrent: 1, perSecond: null });
  let a2 = 0, peak2 = 0;
  const work = async () => { a2++; peak2 = Math.max(peak2, a2); await new Promise(r => setTimeout(r, 5)); a2--; };
  const r1 = l2.run(async () => { await work(); queueMicrotask(() => { p.push(l2.run(work)); }); });
  const r2 = l2.run(work);
  await Promise.all([r1, r2, first, second]);
  await Promise.all(p);
  console.log('peak', peak, 'peak2', peak2);
  expect(peak2).toBe(1);
});
