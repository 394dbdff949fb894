import { z } from 'zod';
import { ROUTINES } from '@/server/domain/routines';
import { dashboardHeadlines } from '@/server/services/dashboards/dashboard-headlines';
import { dashboardFiltersSchema } from '@/server/services/dashboards/dashboard-scope';
import { stuckActivationSlaHours } from '@/server/services/dashboards/dashboard-settings';
import { AGE_BUCKETS, exceptionHealth } from '@/server/services/dashboards/exception-health';
import { invoiceRejections } from '@/server/services/dashboards/invoice-rejections';
import { dashboardScopeView, scopeOrRefuse } from '@/server/services/dashboards/scoped-dashboard';
import { stuckActivations } from '@/server/services/dashboards/stuck-activations';
import { LAG_WINDOWS, syncLag, type LagWindow } from '@/server/services/dashboards/sync-lag';
import { UNBILLED_AGE_BUCKETS } from '@/lib/unbilled-age-buckets';
import { unbilledRecords, unbilledWork } from '@/server/services/dashboards/unbilled-work';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const view = permissionProcedure('dashboards.view');
const scopeSchema = z.object({
  entities: z.array(z.object({ id: z.string(), name: z.string(), currency: z.string(), region: z.string() })),
  reportingCurrency: z.string(),
  from: z.string(),
  to: z.string(),
});
const headlineSchema = z.object({ now: z.number().nullable(), weekAgo: z.number().nullable() });
const moneySchema = z.object({ amount: z.string(), currency: z.string() });
const unbilledFigure = {
  amount: moneySchema,
  converted: moneySchema.nullable(),
  records: z.number(),
  unpriced: z.number(),
};
const RECORDS_PAGE = 50;
const lagWindowSchema = z.enum(Object.keys(LAG_WINDOWS) as [LagWindow, ...LagWindow[]]);

export const dashboardsRouter = createTRPCRouter({
  scope: view
    .input(dashboardFiltersSchema)
    .output(
      z.object({
        options: z.object({
          entities: z.array(z.object({ id: z.string(), name: z.string(), region: z.string() })),
          regions: z.array(z.string()),
          currencies: z.array(z.string()),
        }),
        scope: scopeSchema.nullable(),
        message: z.string().nullable(),
      }),
    )
    .query(({ input }) => dashboardScopeView(input, new Date())),

  headlines: view
    .input(dashboardFiltersSchema)
    .output(
      z.object({
        unbilled: z.object({ now: moneySchema.nullable(), weekAgo: moneySchema.nullable() }),
        stuckActivations: headlineSchema,
        worstLagSeconds: headlineSchema,
        openExceptions: headlineSchema,
      }),
    )
    .query(async ({ input }) => {
      const now = new Date();
      return dashboardHeadlines({ scope: await scopeOrRefuse(input, now), now, slaHours: stuckActivationSlaHours() });
    }),

  unbilledWork: view
    .input(dashboardFiltersSchema)
    .output(
      z.object({
        asOf: z.string(),
        reportingCurrency: z.string(),
        cells: z.array(
          z.object({
            legalEntityId: z.string(),
            entityName: z.string(),
            bucket: z.enum(UNBILLED_AGE_BUCKETS),
            ...unbilledFigure,
          }),
        ),
        byEntity: z.array(z.object({ legalEntityId: z.string(), entityName: z.string(), ...unbilledFigure })),
        total: z.object({ converted: moneySchema.nullable(), records: z.number(), unpriced: z.number() }),
        rates: z.array(z.object({ from: z.string(), to: z.string(), validFrom: z.string(), rate: z.string() })),
        trend: z.array(
          z.object({
            day: z.string(),
            converted: moneySchema.nullable(),
            byEntity: z.array(z.object({ legalEntityId: z.string(), amount: moneySchema })),
          }),
        ),
        problems: z.array(z.string()),
      }),
    )
    .query(async ({ input }) => {
      const now = new Date();
      return unbilledWork({ scope: await scopeOrRefuse(input, now), now });
    }),

  unbilledRecords: view
    .input(
      z.object({
        entity: z.string().max(40),
        bucket: z.enum(UNBILLED_AGE_BUCKETS),
        cursor: z.object({ workDate: z.iso.date(), canonicalId: z.uuid() }).nullish(),
      }),
    )
    .output(
      z.object({
        items: z.array(
          z.object({
            canonicalId: z.string(),
            legalEntityId: z.string(),
            sourceType: z.string(),
            sourceId: z.string(),
            projectId: z.string().nullable(),
            amount: moneySchema.nullable(),
            currency: z.string(),
            workDate: z.string(),
            firstSeenAt: z.date(),
          }),
        ),
        next: z.object({ workDate: z.string(), canonicalId: z.string() }).nullable(),
      }),
    )
    .query(async ({ input }) => {
      const now = new Date();
      await scopeOrRefuse({ entity: input.entity }, now);
      return unbilledRecords({
        legalEntityId: input.entity,
        bucket: input.bucket,
        now,
        after: input.cursor ?? null,
        limit: RECORDS_PAGE,
      });
    }),

  stuckActivations: view
    .input(dashboardFiltersSchema)
    .output(
      z.object({
        slaHours: z.number(),
        total: z.number(),
        byEntity: z.array(
          z.object({ legalEntityId: z.string(), entityName: z.string(), region: z.string(), count: z.number() }),
        ),
        byRegion: z.array(z.object({ region: z.string(), count: z.number() })),
        items: z.array(
          z.object({
            exceptionId: z.string(),
            opportunityId: z.string(),
            legalEntityId: z.string(),
            entityName: z.string(),
            region: z.string(),
            heldSince: z.date(),
            ageHours: z.number(),
            amount: z.string().nullable(),
            currency: z.string().nullable(),
            code: z.string(),
            message: z.string(),
          }),
        ),
      }),
    )
    .query(async ({ input }) => {
      const now = new Date();
      return stuckActivations({ scope: await scopeOrRefuse(input, now), now, slaHours: stuckActivationSlaHours() });
    }),

  syncLag: view
    .input(dashboardFiltersSchema.extend({ window: lagWindowSchema.default('24h') }))
    .output(
      z.array(
        z.object({
          routine: z.enum(ROUTINES),
          routineLabel: z.string(),
          legalEntityId: z.string(),
          entityName: z.string(),
          targetSeconds: z.number(),
          freshnessSeconds: z.number().nullable(),
          p50Seconds: z.number().nullable(),
          p95Seconds: z.number().nullable(),
          delivered: z.number(),
          backlog: z.number(),
          lastRunAt: z.date().nullable(),
          lastRunStatus: z.string().nullable(),
          standing: z.enum(['within', 'behind', 'far_behind', 'no_data']),
        }),
      ),
    )
    .query(async ({ input: { window, ...filters } }) => {
      const now = new Date();
      return syncLag({ scope: await scopeOrRefuse(filters, now), now, window });
    }),

  invoiceRejections: view
    .input(dashboardFiltersSchema)
    .output(z.array(z.object({ week: z.string(), legalEntityId: z.string(), reason: z.string(), count: z.number() })))
    .query(async ({ input }) => invoiceRejections({ scope: await scopeOrRefuse(input, new Date()) })),

  exceptionHealth: view
    .input(dashboardFiltersSchema)
    .output(
      z.object({
        openByTeam: z.array(z.object({ team: z.string(), bucket: z.enum(AGE_BUCKETS), count: z.number() })),
        perDay: z.array(z.object({ day: z.string(), created: z.number(), resolved: z.number() })),
        timeToResolve: z.array(
          z.object({ team: z.string(), resolved: z.number(), medianSeconds: z.number().nullable() }),
        ),
      }),
    )
    .query(async ({ input }) => {
      const now = new Date();
      return exceptionHealth({ scope: await scopeOrRefuse(input, now), now });
    }),
});
