import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES, type Role } from '@/server/auth/permissions';
import { db } from '@/server/db/client';
import { raiseException } from '@/server/services/exceptions/raise-exception';
import { appRouter, createCaller } from './root';
import type { Context, Meta } from './trpc';

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>,
);

function context(role: Role | null, crossSite = false): Context {
  return {
    user: role
      ? {
          sessionId: 'test',
          id: '00000000-0000-4000-8000-000000000000',
          email: `${role}@test`,
          name: role,
          role,
          mustChangePassword: false,
        }
      : null,
    requestId: 'permission-test',
    ip: '127.0.0.1',
    crossSite,
  };
}

/** Calls a procedure by its dotted path with no input; returns the tRPC error code, if any. */
async function call(ctx: Context, path: string): Promise<string | null> {
  let target: unknown = createCaller(ctx);
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  try {
    await (target as (input?: unknown) => Promise<unknown>)(undefined);
    return null;
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe('procedure permissions', () => {
  it('finds the procedures', () => {
    expect(procedures.length).toBeGreaterThan(5);
  });

  it.each(procedures)('%s declares who may call it', (_path, procedure) => {
    const permission = procedure._def.meta?.permission;
    expect(permission === 'public' || PERMISSIONS.includes(permission as never)).toBe(true);
  });

  const matrix = procedures.flatMap(([path, procedure]) =>
    [...ROLES, null].map((role) => [path, role, procedure._def.meta?.permission] as const),
  );

  it.each(matrix)('%s as %s', async (path, role, permission) => {
    const code = await call(context(role), path);
    if (permission === 'public') {
      expect(code).not.toBe('FORBIDDEN');
      expect(code).not.toBe('UNAUTHORIZED');
    } else if (role === null) {
      expect(code).toBe('UNAUTHORIZED');
    } else if (can(role, permission!)) {
      expect(code).not.toBe('FORBIDDEN');
      expect(code).not.toBe('UNAUTHORIZED');
    } else {
      expect(code).toBe('FORBIDDEN');
    }
  });

  it('refuses every mutation made from another site, even for an admin', async () => {
    const mutations = procedures.filter(([, p]) => p._def.type === 'mutation');
    expect(mutations.length).toBeGreaterThan(0);
    for (const [path] of mutations) {
      expect(await call(context('admin', true), path)).toBe('FORBIDDEN');
    }
  });
});

describe('denied calls', () => {
  it('are recorded in the audit log with who asked, for what and which permission was missing', async () => {
    const ctx = context('finance');
    const requestId = `denied-${Date.now()}`;
    expect(await call({ ...ctx, requestId }, 'users.list')).toBe('FORBIDDEN');
    const event = await db().auditEvent.findFirstOrThrow({ where: { action: 'access.denied', requestId } });
    expect(event).toMatchObject({
      actorId: ctx.user!.id,
      actorEmail: ctx.user!.email,
      targetType: 'Procedure',
      targetId: 'users.list',
      after: { permission: 'users.view' },
    });
  });
});

describe('exceptions are acted on per owning team', () => {
  it('operations and auditors are refused on a finance exception by the server; finance may act; the auditor reads it', async () => {
    const suffix = randomUUID().slice(0, 8);
    const { id } = await db().$transaction((tx) =>
      raiseException(
        tx,
        {
          code: 'TAX_CODE_MISSING',
          routine: 'billing_eligibility',
          legalEntityId: 'UK',
          objectType: 'TimeEntry',
          externalIds: [{ system: 'netsuite', objectType: 'timebill', externalId: `perm-${suffix}` }],
          message: 'No tax code.',
          payload: {},
          correlationId: randomUUID(),
          team: 'finance',
        },
        [],
      ),
    );
    const as = async (role: Role) => {
      const user = await db().user.create({
        data: { email: `${role}-${suffix}@permissions.test`, name: role, role },
      });
      return createCaller({
        ...context(role),
        user: { sessionId: 'test', id: user.id, email: user.email, name: role, role, mustChangePassword: false },
      });
    };
    const operations = await as('operations');
    const auditor = await as('auditor');
    const finance = await as('finance');
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (err: unknown) => (err instanceof TRPCError ? err.code : err),
      );
    expect(await codeOf(operations.exception.assign({ id, assigneeId: null }))).toBe('FORBIDDEN');
    expect(await codeOf(operations.exception.dryRun({ id }))).toBe('FORBIDDEN');
    expect(await codeOf(operations.exception.replay({ id }))).toBe('FORBIDDEN');
    expect(await codeOf(operations.exception.resolve({ id, note: 'no' }))).toBe('FORBIDDEN');
    expect(await codeOf(auditor.exception.comment({ id, body: 'hi' }))).toBe('FORBIDDEN');
    expect((await auditor.exception.byId({ id })).allowed).toEqual({ assign: false, work: false, replay: false });
    expect((await operations.exception.byId({ id })).allowed).toEqual({ assign: false, work: false, replay: false });
    expect((await finance.exception.byId({ id })).allowed).toEqual({ assign: true, work: true, replay: true });
    expect(await codeOf(auditor.exception.byId({ id: randomUUID() }))).toBe('NOT_FOUND');
    const me = (await db().user.findUniqueOrThrow({ where: { email: `finance-${suffix}@permissions.test` } })).id;
    expect(await finance.exception.assign({ id, assigneeId: me })).toMatchObject({
      status: 'assigned',
      assigneeId: me,
    });
  });
});
