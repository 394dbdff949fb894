import { spawn } from 'node:child_process';
import path from 'node:path';
import { childEnvironment } from '@/env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { startJobQueueDatabase } from '@/test/job-queue-database';

let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;

beforeAll(async () => {
  database = await startJobQueueDatabase();
}, 60_000);
afterAll(() => database?.stop());

/** `npm run worker`, as a process of its own against this file's database. */
function startWorkerProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/worker.ts')], {
    env: childEnvironment({
      DATABASE_URL: database.url,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '2',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { msg?: string; level?: number }[] = [];
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const complete = output.split('\n');
    output = complete.pop()!;
    for (const line of complete) if (line.trim()) lines.push(JSON.parse(line) as { msg?: string });
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logged = async (message: string) => {
    for (let i = 0; i < 600 && !lines.some((l) => l.msg === message); i++) {
      if (child.exitCode !== null) throw new Error(`the worker exited early (${child.exitCode}): ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!lines.some((l) => l.msg === message)) throw new Error(`the worker never logged "${message}": ${stderr}`);
  };
  return { child, lines, exited, logged };
}

describe('the worker process', () => {
  it('starts, registers its cron jobs, and exits 0 on SIGTERM after releasing everything', async () => {
    const worker = startWorkerProcess();
    await worker.logged('worker started');
    expect(worker.lines.find((l) => l.msg === 'worker started')).toMatchObject({
      concurrency: 2,
      jobs: [
        'routine.run',
        'routine.schedule',
        'routine.reconcile',
        'audit.checkpoint',
        'exceptions.auto_retry',
        'exceptions.overdue',
        'notifications.team_webhook',
        'auth.signin_windows',
        'exceptions.bulk',
      ],
    });
    // graphile-worker registers its crontab just after it starts taking jobs.
    let crontabs: string[] = [];
    for (let i = 0; i < 100 && crontabs.length === 0; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      crontabs = (
        await db().$queryRaw<{ identifier: string }[]>`SELECT identifier FROM graphile_worker._private_known_crontabs`
      ).map((c) => c.identifier);
    }
    expect(crontabs.sort()).toEqual([
      'audit.checkpoint',
      'auth.signin_windows',
      'exceptions.auto_retry',
      'exceptions.overdue',
      'routine.reconcile',
      'routine.schedule',
    ]);

    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'worker stopping: no new jobs; running routines stop after their current batch',
        'worker stopped',
      ]),
    );
    expect(worker.lines.filter((l) => (l.level ?? 0) >= 50)).toEqual([]);
    const [locked] = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_jobs WHERE locked_at IS NOT NULL`;
    expect(locked?.n).toBe(0);
  });
});
