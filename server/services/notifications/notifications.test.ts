import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/server/db/client';
import { teamWebhookJob } from '@/server/jobs/team-webhook-job';
import { raiseException } from '@/server/services/exceptions/raise-exception';
import { assignException, type ExceptionActor } from '@/server/services/exceptions/work-exception';
import { queuedJobs, startJobQueueDatabase } from '@/test/job-queue-database';
import { notifyOverdueExceptions } from './overdue-exceptions';
import { SIGNATURE_HEADER, TEAM_WEBHOOK_JOB_ID, TIMESTAMP_HEADER, configureTeamWebhook } from './team-webhooks';
import { markNotificationsRead, myNotifications } from './user-notifications';

// A database of its own: team webhooks are one per team, and this file owns them.
let database: Awaited<ReturnType<typeof startJobQueueDatabase>>;
let receiver: Server;
let receiverUrl: string;
let answerWith = 200;
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const SECRET = 'a-shared-secret-of-some-length';

beforeAll(async () => {
  database = await startJobQueueDatabase();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answerWith).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/finance`;
}, 60_000);
afterAll(async () => {
  receiver?.close();
  await database?.stop();
});

async function user(role: 'admin' | 'finance'): Promise<ExceptionActor & { email: string }> {
  const created = await db().user.create({
    data: { email: `${role}-${randomUUID().slice(0, 8)}@notifications.test`, name: `A ${role}`, role },
  });
  return { id: created.id, email: created.email, role };
}

async function financeException(dueInHours = 48) {
  const id = randomUUID().slice(0, 8);
  const { id: exceptionId } = await db().$transaction((tx) =>
    raiseException(
      tx,
      {
        code: 'TAX_CODE_MISSING',
        routine: 'billing_eligibility',
        legalEntityId: 'UK',
        objectType: 'TimeEntry',
        externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `tb-${id}` }],
        message: `Time bill tb-${id} has no tax code.`,
        payload: {},
        correlationId: randomUUID(),
        team: 'finance',
      },
      [
        {
          position: 1,
          routine: null,
          code: null,
          legalEntityId: null,
          minAmount: null,
          team: 'finance',
          priority: 'high',
          dueHours: dueInHours,
          enabled: true,
        },
      ],
    ),
  );
  return exceptionId;
}

const system = { actor: { id: null, email: 'admin@notifications.test' }, requestId: null, ip: null };

describe('the team webhook', () => {
  it('is queued with the assignment and delivered by its job, signed with the shared secret', async () => {
    await configureTeamWebhook({ team: 'finance', url: receiverUrl, secret: SECRET, enabled: true }, system);
    const admin = await user('admin');
    const finance = await user('finance');
    const exceptionId = await financeException();

    await assignException({ exceptionId, assigneeId: finance.id, actor: admin });
    // The action returned without calling the receiver: the message waits as a job.
    expect(received).toHaveLength(0);
    const [job] = await queuedJobs({ task: TEAM_WEBHOOK_JOB_ID });
    expect(job).toMatchObject({ maxAttempts: 8, payload: { team: 'finance', exceptionId } });

    await teamWebhookJob.handler(job!.payload, {} as never);
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    const timestamp = String(headers[TIMESTAMP_HEADER]);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
    expect(headers[SIGNATURE_HEADER]).toBe(expected);
    expect(headers['content-type']).toBe('application/json');
    const message = JSON.parse(body) as { text: string; blocks: { text: { text: string } }[] };
    expect(message.text).toContain('TAX_CODE_MISSING assigned to you');
    expect(message.blocks[0]!.text.text).toContain(`/exceptions/${exceptionId}|Open in Syncwright>`);

    // The secret is stored sealed, never as typed, and the change is audited without it.
    const stored = await db().teamWebhook.findUniqueOrThrow({ where: { team: 'finance' } });
    expect(stored.secret).not.toContain(SECRET);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { action: 'team_webhook.configured' } });
    expect(JSON.stringify(audit.after)).not.toContain(SECRET);
  });

  it('keeps its secret when saved without one, unless it is new or its address changes', async () => {
    const url = 'https://hooks.example.test/operations';
    await expect(configureTeamWebhook({ team: 'operations', url, enabled: true }, system)).rejects.toThrow(
      'Enter a shared secret for the new webhook.',
    );
    await configureTeamWebhook({ team: 'operations', url, secret: SECRET, enabled: true }, system);
    const sealed = (await db().teamWebhook.findUniqueOrThrow({ where: { team: 'operations' } })).secret;

    await configureTeamWebhook({ team: 'operations', url, enabled: false }, system);
    const saved = await db().teamWebhook.findUniqueOrThrow({ where: { team: 'operations' } });
    expect(saved).toMatchObject({ enabled: false, secret: sealed });
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'team_webhook.configured', targetId: 'operations' },
      orderBy: { occurredAt: 'desc' },
    });
    expect(audit.after).toMatchObject({ enabled: false, secret: 'kept' });

    await expect(
      configureTeamWebhook({ team: 'operations', url: `${url}/moved`, enabled: false }, system),
    ).rejects.toThrow('Enter the shared secret again: a changed address needs it.');
    expect((await db().teamWebhook.findUniqueOrThrow({ where: { team: 'operations' } })).url).toBe(url);
  });

  it('a receiver that fails makes the job fail, so graphile-worker retries it', async () => {
    answerWith = 503;
    try {
      await expect(
        teamWebhookJob.handler({ team: 'finance', text: 'hello', exceptionId: null }, {} as never),
      ).rejects.toThrow('The finance webhook answered 503.');
    } finally {
      answerWith = 200;
    }
  });

  it('a team without a webhook queues nothing', async () => {
    const admin = await user('admin');
    const before = (await queuedJobs({ task: TEAM_WEBHOOK_JOB_ID })).length;
    const { id: exceptionId } = await db().$transaction((tx) =>
      raiseException(
        tx,
        {
          code: 'CONFIG_ERROR',
          routine: 'billing_eligibility',
          legalEntityId: 'UK',
          objectType: 'TimeEntry',
          externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `tb-${randomUUID()}` }],
          message: 'misconfigured',
          payload: {},
          correlationId: randomUUID(),
          team: 'integration',
        },
        [],
      ),
    );
    const other = await user('admin');
    await assignException({ exceptionId, assigneeId: other.id, actor: admin });
    expect(await queuedJobs({ task: TEAM_WEBHOOK_JOB_ID })).toHaveLength(before);
  });
});

describe('in-app notifications', () => {
  it('an exception past due tells its assignee once; the bell counts unread ones until read', async () => {
    const finance = await user('finance');
    const overdue = await financeException(-1);
    const notYet = await financeException(24);
    await assignException({ exceptionId: overdue, assigneeId: finance.id, actor: finance });
    await assignException({ exceptionId: notYet, assigneeId: finance.id, actor: finance });

    expect((await notifyOverdueExceptions()).notified).toBeGreaterThanOrEqual(1);
    await notifyOverdueExceptions(); // a second pass finds nothing new
    const mine = await myNotifications(finance.id);
    expect(mine.unread).toBe(1);
    expect(mine.items).toEqual([
      expect.objectContaining({
        kind: 'overdue',
        exceptionId: overdue,
        read: false,
        title: 'TAX_CODE_MISSING is overdue',
      }),
    ]);

    // Someone else cannot mark them read.
    const other = await user('finance');
    expect(await markNotificationsRead({ userId: other.id, ids: [mine.items[0]!.id] })).toEqual({ marked: 0 });
    expect(await markNotificationsRead({ userId: finance.id })).toEqual({ marked: 1 });
    expect((await myNotifications(finance.id)).unread).toBe(0);
  });
});
