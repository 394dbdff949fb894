import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@/server/auth/permissions';
import { db } from '@/server/db/client';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';
import { canActOn } from './exception-access';
import { raiseException } from './raise-exception';
import {
  assignException,
  commentOnException,
  mentionedEmails,
  setPriority,
  transitionException,
  type ExceptionActor,
} from './work-exception';

async function user(role: Role): Promise<ExceptionActor & { email: string }> {
  const created = await db().user.create({
    data: { email: `${role}-${randomUUID().slice(0, 8)}@work-exception.test`, name: `A ${role}`, role },
  });
  return { id: created.id, email: created.email, role, requestId: `req-${randomUUID()}`, ip: '127.0.0.1' };
}

/** A fresh open exception of the given team, raised as the pipeline raises them. */
async function exceptionOf(team: TeamName) {
  const id = randomUUID().slice(0, 8);
  const { id: exceptionId } = await db().$transaction((tx) =>
    raiseException(
      tx,
      {
        code: team === 'finance' ? 'TAX_CODE_MISSING' : team === 'operations' ? 'RATE_CARD_MISSING' : 'CONFIG_ERROR',
        routine: 'billing_eligibility',
        legalEntityId: 'UK',
        objectType: 'TimeEntry',
        externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `tb-${id}` }],
        message: `Time bill tb-${id} cannot be billed.`,
        payload: { record: { objectType: 'timebill', externalId: `tb-${id}`, data: { customer: '42' } } },
        correlationId: randomUUID(),
        amount: '1250.50',
        currency: 'GBP',
        team,
      },
      [],
    ),
  );
  return exceptionId;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const events = (exceptionId: string) =>
  db().exceptionEvent.findMany({ where: { exceptionId }, orderBy: { id: 'asc' } });
const audits = (exceptionId: string) =>
  db().auditEvent.findMany({ where: { targetType: 'SyncException', targetId: exceptionId }, orderBy: { id: 'asc' } });

describe('who may act on an exception', () => {
  const expected: Record<Role, TeamName[]> = {
    admin: ['finance', 'operations', 'integration'],
    finance: ['finance'],
    operations: ['operations'],
    auditor: [],
  };
  it.each(
    ROLES.flatMap((role) => (['finance', 'operations', 'integration'] as const).map((team) => [role, team] as const)),
  )('%s on a %s exception', (role, team) => {
    expect(canActOn({ id: 'x', role }, { team })).toBe(expected[role].includes(team));
  });

  it('refuses another team’s exception on the server, changes nothing and records the refusal', async () => {
    const operations = await user('operations');
    const auditor = await user('auditor');
    const exceptionId = await exceptionOf('finance');
    const refused = await refusal(assignException({ exceptionId, assigneeId: operations.id, actor: operations }));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toMatch(/Finance team/);
    expect((await refusal(transitionException({ exceptionId, to: 'resolved', note: 'x', actor: auditor }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exceptionId } })).toMatchObject({
      status: 'open',
      assigneeId: null,
    });
    expect((await events(exceptionId)).map((e) => e.type)).toEqual(['created']);
    expect((await audits(exceptionId)).map((a) => [a.action, a.actorEmail])).toEqual([
      ['access.denied', operations.email],
      ['access.denied', auditor.email],
    ]);
  });

  it('an admin acts on an integration exception; finance may not', async () => {
    const admin = await user('admin');
    const finance = await user('finance');
    const exceptionId = await exceptionOf('integration');
    expect((await refusal(assignException({ exceptionId, assigneeId: finance.id, actor: finance }))).code).toBe(
      'FORBIDDEN',
    );
    expect(await assignException({ exceptionId, assigneeId: admin.id, actor: admin })).toMatchObject({
      status: 'assigned',
      assigneeId: admin.id,
    });
  });
});

describe('working an exception', () => {
  it('assign → start → resolve with a note, each with a history event and an audit entry; then reopen', async () => {
    const finance = await user('finance');
    const exceptionId = await exceptionOf('finance');

    expect(await assignException({ exceptionId, assigneeId: finance.id, actor: finance })).toMatchObject({
      status: 'assigned',
      assigneeId: finance.id,
    });
    expect(await transitionException({ exceptionId, to: 'in_progress', actor: finance })).toMatchObject({
      status: 'in_progress',
    });
    const noNote = await refusal(transitionException({ exceptionId, to: 'resolved', note: '  ', actor: finance }));
    expect(noNote).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/resolution note/) });
    expect(
      await transitionException({ exceptionId, to: 'resolved', note: 'Tax code mapped in billing', actor: finance }),
    ).toMatchObject({ status: 'resolved' });
    const resolved = await db().syncException.findUniqueOrThrow({ where: { id: exceptionId } });
    expect(resolved.resolution).toBe('resolved: Tax code mapped in billing');
    expect(resolved.resolvedAt).not.toBeNull();

    // Closed: no second resolve, no start, no assignment until it is reopened.
    const again = await refusal(transitionException({ exceptionId, to: 'resolved', note: 'again', actor: finance }));
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/resolved/) });
    expect((await refusal(transitionException({ exceptionId, to: 'in_progress', actor: finance }))).code).toBe(
      'CONFLICT',
    );

    expect(await transitionException({ exceptionId, to: 'open', actor: finance })).toMatchObject({
      status: 'assigned',
      assigneeId: finance.id,
    });
    expect(await db().syncException.findUniqueOrThrow({ where: { id: exceptionId } })).toMatchObject({
      resolvedAt: null,
      resolution: null,
    });

    expect((await events(exceptionId)).map((e) => [e.type, e.actorId])).toEqual([
      ['created', null],
      ['assigned', finance.id],
      ['started', finance.id],
      ['resolved', finance.id],
      ['reopened', finance.id],
    ]);
    // The note-less resolve was refused before anything was read: bad input, not a recorded refusal.
    expect((await audits(exceptionId)).map((a) => a.action)).toEqual([
      'exception.assigned',
      'exception.started',
      'exception.resolved',
      'exception.resolved_refused',
      'exception.in_progress_refused',
      'exception.reopened',
    ]);
  });

  it('ignore needs a reason; starting an unassigned exception takes it', async () => {
    const operations = await user('operations');
    const exceptionId = await exceptionOf('operations');
    expect(await transitionException({ exceptionId, to: 'in_progress', actor: operations })).toMatchObject({
      status: 'in_progress',
      assigneeId: operations.id,
    });
    expect((await refusal(transitionException({ exceptionId, to: 'ignored', actor: operations }))).message).toMatch(
      /reason is required/,
    );
    expect(
      await transitionException({ exceptionId, to: 'ignored', note: 'Test project, never billed', actor: operations }),
    ).toMatchObject({ status: 'ignored' });
  });

  it('hands an exception only to a member of the owning team, or an admin', async () => {
    const finance = await user('finance');
    const otherFinance = await user('finance');
    const operations = await user('operations');
    const admin = await user('admin');
    const exceptionId = await exceptionOf('finance');
    const notMember = await refusal(assignException({ exceptionId, assigneeId: operations.id, actor: finance }));
    expect(notMember).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(operations.email) });
    await assignException({ exceptionId, assigneeId: otherFinance.id, actor: finance });
    // Reassigning needs the assignee the caller saw.
    expect(
      await assignException({ exceptionId, assigneeId: admin.id, expectedAssigneeId: otherFinance.id, actor: finance }),
    ).toMatchObject({ assigneeId: admin.id });
  });

  it('two people assigning the same exception at once: one wins, the other is told who holds it', async () => {
    const first = await user('finance');
    const second = await user('finance');
    const exceptionId = await exceptionOf('finance');
    const results = await Promise.allSettled([
      assignException({ exceptionId, assigneeId: first.id, actor: first }),
      assignException({ exceptionId, assigneeId: second.id, actor: second }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ assigneeId: string }>).value.assigneeId;
    const winnerEmail = winner === first.id ? first.email : second.email;
    expect(lost[0]!.reason).toMatchObject({
      code: 'CONFLICT',
      message: `This exception is already assigned to ${winnerEmail}.`,
    });
    expect((await db().syncException.findUniqueOrThrow({ where: { id: exceptionId } })).assigneeId).toBe(winner);
    expect((await events(exceptionId)).filter((e) => e.type === 'assigned')).toHaveLength(1);
    expect((await audits(exceptionId)).map((a) => a.action).sort()).toEqual([
      'exception.assign_refused',
      'exception.assigned',
    ]);
  });

  it('changes the priority of an open exception, recorded', async () => {
    const admin = await user('admin');
    const exceptionId = await exceptionOf('operations');
    expect(await setPriority({ exceptionId, priority: 'urgent', actor: admin })).toMatchObject({ priority: 'urgent' });
    expect((await events(exceptionId)).at(-1)).toMatchObject({
      type: 'priority_changed',
      data: { from: 'normal', to: 'urgent' },
    });
  });

  it('an unknown exception id is a clear not-found', async () => {
    const admin = await user('admin');
    for (const exceptionId of [randomUUID(), 'not-an-id']) {
      expect(await refusal(assignException({ exceptionId, assigneeId: admin.id, actor: admin }))).toMatchObject({
        code: 'NOT_FOUND',
        message: 'No exception has this id.',
      });
    }
  });
});

describe('comments', () => {
  it('are kept as typed, in the history and the audit log, and notify the users they mention', async () => {
    const finance = await user('finance');
    const colleague = await user('finance');
    const exceptionId = await exceptionOf('finance');
    const body = `<b>Not bold</b> — @${colleague.email} can you map this? Also @nobody@nowhere.example`;
    const comment = await commentOnException({ exceptionId, body, actor: finance });
    expect(comment.mentions).toEqual([{ id: colleague.id, email: colleague.email }]);
    expect((await events(exceptionId)).at(-1)).toMatchObject({ type: 'commented', note: body, actorId: finance.id });
    expect((await audits(exceptionId)).at(-1)).toMatchObject({ action: 'exception.commented' });
    expect(await db().notification.findMany({ where: { userId: colleague.id } })).toEqual([
      expect.objectContaining({ kind: 'mentioned', exceptionId, readAt: null }),
    ]);
    expect((await refusal(commentOnException({ exceptionId, body: '   ', actor: finance }))).code).toBe('BAD_REQUEST');
  });

  it('mentions are e-mail addresses after an @', () => {
    expect(mentionedEmails('ping @A.B@Firm.example and @a.b@firm.example, not me@x')).toEqual(['a.b@firm.example']);
  });
});

describe('assignment notifications', () => {
  it('the assignee is notified when someone else assigns them, not when they take it themselves', async () => {
    const admin = await user('admin');
    const finance = await user('finance');
    const handedOut = await exceptionOf('finance');
    const taken = await exceptionOf('finance');
    await assignException({ exceptionId: handedOut, assigneeId: finance.id, actor: admin });
    await assignException({ exceptionId: taken, assigneeId: finance.id, actor: finance });
    const notes = await db().notification.findMany({ where: { userId: finance.id } });
    expect(notes.map((n) => [n.kind, n.exceptionId])).toEqual([['assigned', handedOut]]);
    expect(notes[0]!.body).toContain(admin.email);
  });
});
