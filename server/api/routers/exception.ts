import { z } from 'zod';
import { exceptionDetail, exceptionHistory } from '@/server/services/exceptions/exception-detail';
import { dryRunException, replayException } from '@/server/services/exceptions/replay-exception';
import {
  assignableUsers,
  assignException,
  COMMENT_MAX_LENGTH,
  commentOnException,
  setPriority,
  transitionException,
} from '@/server/services/exceptions/work-exception';
import { exceptionActor } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const byIdInput = z.object({ id: z.uuid('No exception has this id.') });
const statusSchema = z.enum(['open', 'assigned', 'in_progress', 'resolved', 'ignored']);
const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
const teamSchema = z.enum(['finance', 'operations', 'integration']);
const workResult = z.object({
  id: z.string(),
  status: statusSchema,
  assigneeId: z.string().nullable(),
  priority: prioritySchema,
});
const note = (what: string) => z.string().trim().min(1, `${what} is required.`).max(2000);

const detailSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  remedy: z.string().nullable(),
  fixIn: z.object({ label: z.string(), href: z.string() }).nullable(),
  kind: z.enum(['business', 'technical']),
  routine: z.string(),
  routineLabel: z.string(),
  legalEntityId: z.string().nullable(),
  legalEntityName: z.string().nullable(),
  objectType: z.string(),
  externalIds: z.array(z.object({ system: z.string(), objectType: z.string(), externalId: z.string() })),
  message: z.string(),
  targetCode: z.string().nullable(),
  targetMessage: z.string().nullable(),
  record: z
    .object({ objectType: z.string(), externalId: z.string(), fields: z.record(z.string(), z.unknown()) })
    .nullable(),
  involvedFields: z.array(z.string()),
  ruleVersion: z.number().nullable(),
  routingRulePosition: z.number().nullable(),
  correlationId: z.string(),
  idempotencyKey: z.string().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  status: statusSchema,
  team: teamSchema,
  teamLabel: z.string(),
  priority: prioritySchema,
  dueAt: z.date().nullable(),
  overdue: z.boolean(),
  assignee: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  occurrences: z.number(),
  firstSeenAt: z.date(),
  lastSeenAt: z.date(),
  resolvedAt: z.date().nullable(),
  resolution: z.string().nullable(),
  allowed: z.object({ assign: z.boolean(), work: z.boolean(), replay: z.boolean() }),
});

const outcomeSchema = z.enum(['delivered', 'noop', 'superseded', 'exception']);
const dryRunSchema = z.object({
  planToken: z.string(),
  summary: z.array(
    z.object({
      system: z.string(),
      objectType: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      count: z.number(),
    }),
  ),
  writes: z.array(
    z.object({
      system: z.string(),
      objectType: z.string(),
      action: z.enum(['create', 'update', 'unchanged']),
      key: z.string(),
      idempotencyKey: z.string(),
      targetId: z.string().nullable(),
      fields: z.record(z.string(), z.unknown()),
      changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })).nullable(),
    }),
  ),
  outcomes: z.array(z.object({ exceptionId: z.string(), outcome: outcomeSchema, reason: z.string().nullable() })),
});

/** One exception: read it, work it, replay it. The owning team is checked per exception by the services. */
export const exceptionRouter = createTRPCRouter({
  byId: permissionProcedure('exceptions.view')
    .input(byIdInput)
    .output(detailSchema)
    .query(({ input, ctx }) => exceptionDetail({ exceptionId: input.id, viewer: ctx.user })),

  history: permissionProcedure('exceptions.view')
    .input(byIdInput)
    .output(
      z.array(
        z.object({
          id: z.string(),
          at: z.date(),
          type: z.string(),
          actorEmail: z.string().nullable(),
          note: z.string().nullable(),
          data: z.record(z.string(), z.unknown()).nullable(),
        }),
      ),
    )
    .query(({ input }) => exceptionHistory({ exceptionId: input.id })),

  assignableUsers: permissionProcedure('exceptions.assign')
    .input(byIdInput)
    .output(z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.string() })))
    .query(({ input, ctx }) => assignableUsers({ exceptionId: input.id, actor: exceptionActor(ctx) })),

  assign: permissionProcedure('exceptions.assign')
    .input(
      byIdInput.extend({
        /** null: unassign. */
        assigneeId: z.uuid().nullable(),
        /** The assignee the caller saw (null: unassigned); absent: only an unassigned exception is taken. */
        expectedAssigneeId: z.uuid().nullable().optional(),
      }),
    )
    .output(workResult)
    .mutation(({ input, ctx }) =>
      assignException({
        exceptionId: input.id,
        assigneeId: input.assigneeId,
        expectedAssigneeId: input.expectedAssigneeId,
        actor: exceptionActor(ctx),
      }),
    ),

  start: permissionProcedure('exceptions.work')
    .input(byIdInput)
    .output(workResult)
    .mutation(({ input, ctx }) =>
      transitionException({ exceptionId: input.id, to: 'in_progress', actor: exceptionActor(ctx) }),
    ),

  resolve: permissionProcedure('exceptions.work')
    .input(byIdInput.extend({ note: note('A resolution note') }))
    .output(workResult)
    .mutation(({ input, ctx }) =>
      transitionException({ exceptionId: input.id, to: 'resolved', note: input.note, actor: exceptionActor(ctx) }),
    ),

  ignore: permissionProcedure('exceptions.work')
    .input(byIdInput.extend({ reason: note('A reason') }))
    .output(workResult)
    .mutation(({ input, ctx }) =>
      transitionException({ exceptionId: input.id, to: 'ignored', note: input.reason, actor: exceptionActor(ctx) }),
    ),

  reopen: permissionProcedure('exceptions.work')
    .input(byIdInput.extend({ note: z.string().trim().max(2000).optional() }))
    .output(workResult)
    .mutation(({ input, ctx }) =>
      transitionException({ exceptionId: input.id, to: 'open', note: input.note, actor: exceptionActor(ctx) }),
    ),

  comment: permissionProcedure('exceptions.work')
    .input(byIdInput.extend({ body: z.string().trim().min(1, 'A comment cannot be empty.').max(COMMENT_MAX_LENGTH) }))
    .output(z.object({ id: z.string(), mentions: z.array(z.object({ id: z.string(), email: z.string() })) }))
    .mutation(({ input, ctx }) =>
      commentOnException({ exceptionId: input.id, body: input.body, actor: exceptionActor(ctx) }),
    ),

  setPriority: permissionProcedure('exceptions.work')
    .input(byIdInput.extend({ priority: prioritySchema }))
    .output(workResult)
    .mutation(({ input, ctx }) =>
      setPriority({ exceptionId: input.id, priority: input.priority, actor: exceptionActor(ctx) }),
    ),

  dryRun: permissionProcedure('exceptions.replay')
    .input(byIdInput)
    .output(dryRunSchema)
    .mutation(({ input, ctx }) => dryRunException({ exceptionId: input.id, actor: exceptionActor(ctx) })),

  replay: permissionProcedure('exceptions.replay')
    .input(byIdInput.extend({ planToken: z.string().max(64).optional() }))
    .output(
      z.object({
        exceptionId: z.string(),
        outcome: outcomeSchema,
        reason: z.string().nullable(),
        resolved: z.boolean(),
      }),
    )
    .mutation(({ input, ctx }) =>
      replayException({ exceptionId: input.id, planToken: input.planToken, actor: exceptionActor(ctx) }),
    ),
});
