import { z } from 'zod';
import { DATE_LAYOUTS } from '@/server/domain/field-transforms';
import {
  mappingGovernance,
  mappingHistory,
  mappingOverview,
} from '@/server/services/mappings/field-mapping-governance';
import { AFFECTED_DRY_RUN_PAGE } from '@/lib/affected-dry-run';
import { dryRunAffectedExceptions } from '@/server/services/mappings/affected-exceptions';
import { previewRecord, previewSamples } from '@/server/services/mappings/mapping-preview';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const scopeSchema = z.object({ connectionId: z.uuid(), legalEntityId: z.string().min(1).max(20) });

// Kinds and values arrive as plain strings so the service can name what is wrong with them.
const rowSchema = z.object({
  kind: z.string().max(50),
  sourceValue: z.string().max(200),
  targetValue: z.string().max(200),
});
const rowsSchema = z.array(rowSchema).max(2000);
const problemSchema = z.object({
  index: z.number(),
  field: z.enum(['kind', 'sourceValue', 'targetValue']),
  message: z.string(),
});

const transformSchema = z.discriminatedUnion('name', [
  z.object({ name: z.literal('trim') }),
  z.object({ name: z.literal('upper') }),
  z.object({ name: z.literal('lookup'), kind: z.string().max(50) }),
  z.object({ name: z.literal('default'), value: z.string().max(200) }),
  z.object({ name: z.literal('date_format'), from: z.enum(DATE_LAYOUTS) }),
  z.object({ name: z.literal('decimal_scale'), scale: z.number() }),
]);
// Sources, fields and attributes arrive as plain strings, for the service to name what is wrong.
const fieldMapSchema = z.object({
  source: z.string().max(50),
  sourceField: z.string().max(100),
  attribute: z.string().max(100),
  transforms: z.array(transformSchema).max(20),
});
const fieldMapsSchema = z.array(fieldMapSchema).max(200);
const fieldMapProblemSchema = z.object({
  index: z.number(),
  field: z.enum(['source', 'sourceField', 'attribute', 'transforms']),
  message: z.string(),
});

/** One keyed row's fate between two versions, as `diffRows` tells it. */
function changesOf<Row extends z.ZodType, Field extends string>(row: Row, fields: readonly [Field, ...Field[]]) {
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('added'), key: z.string(), after: row }),
    z.object({ kind: z.literal('removed'), key: z.string(), before: row }),
    z.object({
      kind: z.literal('changed'),
      key: z.string(),
      before: row,
      after: row,
      fields: z.array(z.enum(fields)),
    }),
  ]);
}
const changeSchema = changesOf(rowSchema, ['kind', 'sourceValue', 'targetValue']);
const fieldMapChangeSchema = changesOf(fieldMapSchema, ['source', 'sourceField', 'attribute', 'transforms']);

const reasonSchema = z.string().trim().min(5, 'Say why you publish these mappings (at least 5 characters).').max(1000);

const publishedSchema = z.object({
  version: z.number(),
  affected: z.object({ codes: z.array(z.string()), routines: z.array(z.string()), exceptionIds: z.array(z.string()) }),
});

const plannedAction = z.enum(['create', 'update', 'unchanged']);

export const mappingsRouter = createTRPCRouter({
  overview: permissionProcedure('runs.view')
    .input(z.object({ scope: scopeSchema.nullable() }).optional())
    .output(
      z.object({
        scopes: z.array(
          scopeSchema.extend({ connectionId: z.string(), connectionName: z.string(), system: z.string() }),
        ),
        activeVersion: z.number(),
        active: z.array(rowSchema),
        activeFieldMaps: fieldMapsSchema,
        draft: z
          .object({
            baseVersion: z.number(),
            mappings: z.array(rowSchema),
            fieldMaps: fieldMapsSchema,
            updatedBy: z.string(),
            updatedAt: z.date(),
          })
          .nullable(),
        draftFieldMapChanges: z.array(fieldMapChangeSchema).nullable(),
        kinds: z.array(z.object({ value: z.string(), label: z.string() })),
        sources: z.array(
          z.object({
            value: z.string(),
            label: z.string(),
            fields: z.array(z.string()),
            attributes: z.array(z.string()),
          }),
        ),
        dateLayouts: z.array(z.string()),
      }),
    )
    .query(({ input }) => mappingOverview(input?.scope ?? null)),

  history: permissionProcedure('runs.view')
    .input(z.object({ scope: scopeSchema }))
    .output(
      z.array(
        z.object({
          version: z.number(),
          publishedBy: z.string().nullable(),
          publishedAt: z.date(),
          reason: z.string(),
          changes: z.array(changeSchema),
          fieldMapChanges: z.array(fieldMapChangeSchema),
        }),
      ),
    )
    .query(({ input }) => mappingHistory(input.scope)),

  draftChanges: permissionProcedure('runs.view')
    .input(z.object({ scope: scopeSchema }))
    .output(z.array(changeSchema).nullable())
    .query(({ input }) => mappingGovernance.draftChanges(input.scope)),

  samples: permissionProcedure('runs.view')
    .input(z.object({ scope: scopeSchema }))
    .output(
      z.array(
        z.object({
          externalId: z.string(),
          label: z.string(),
          heldBy: z.object({ id: z.string(), code: z.string() }).nullable(),
        }),
      ),
    )
    .query(({ input }) => previewSamples(input.scope)),

  // A read, sent as a mutation because it carries the mappings being edited.
  preview: permissionProcedure('runs.view')
    .input(
      z.object({
        scope: scopeSchema,
        mappings: rowsSchema,
        fieldMaps: fieldMapsSchema,
        externalId: z.string().min(1).max(40),
      }),
    )
    .output(
      z.object({
        source: z.object({
          system: z.literal('netsuite'),
          objectType: z.literal('timebill'),
          externalId: z.string(),
          data: z.record(z.string(), z.unknown()),
        }),
        canonical: z.record(z.string(), z.unknown()),
        problems: z.array(z.object({ attribute: z.string(), message: z.string() })),
        mappingProblems: z.array(problemSchema),
        fieldMapProblems: z.array(fieldMapProblemSchema),
      }),
    )
    .mutation(({ input }) =>
      previewRecord(input.scope, { mappings: input.mappings, fieldMaps: input.fieldMaps }, input.externalId),
    ),

  saveDraft: permissionProcedure('governance.manage')
    .input(z.object({ scope: scopeSchema, mappings: rowsSchema, fieldMaps: fieldMapsSchema }))
    .output(
      z.discriminatedUnion('saved', [
        z.object({ saved: z.literal(true), changes: z.number() }),
        z.object({
          saved: z.literal(false),
          problems: z.array(problemSchema),
          fieldMapProblems: z.array(fieldMapProblemSchema),
        }),
      ]),
    )
    .mutation(({ input, ctx }) =>
      mappingGovernance.saveDraft(
        input.scope,
        { mappings: input.mappings, fieldMaps: input.fieldMaps },
        auditContext(ctx),
      ),
    ),

  discardDraft: permissionProcedure('governance.manage')
    .input(z.object({ scope: scopeSchema }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ input, ctx }) => {
      await mappingGovernance.discardDraft(input.scope, auditContext(ctx));
      return { ok: true as const };
    }),

  publishDraft: permissionProcedure('governance.manage')
    .input(z.object({ scope: scopeSchema, reason: reasonSchema }))
    .output(publishedSchema)
    .mutation(({ input, ctx }) => mappingGovernance.publishDraft(input.scope, input.reason, auditContext(ctx))),

  republish: permissionProcedure('governance.manage')
    .input(z.object({ scope: scopeSchema, version: z.number().int().positive(), reason: reasonSchema }))
    .output(publishedSchema)
    .mutation(({ input, ctx }) =>
      mappingGovernance.republish(input.scope, input.version, input.reason, auditContext(ctx)),
    ),

  dryRunAffected: permissionProcedure('governance.manage')
    .input(z.object({ exceptionIds: z.array(z.uuid()).min(1).max(AFFECTED_DRY_RUN_PAGE) }))
    .output(
      z.object({
        summary: z.array(
          z.object({ system: z.string(), objectType: z.string(), action: plannedAction, count: z.number() }),
        ),
        outcomes: z.array(
          z.object({
            exceptionId: z.string(),
            outcome: z.enum(['delivered', 'noop', 'superseded', 'exception']),
            reason: z.string().nullable(),
          }),
        ),
      }),
    )
    .mutation(({ input }) => dryRunAffectedExceptions(input.exceptionIds)),
});
