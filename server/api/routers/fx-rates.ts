import { z } from 'zod';
import { deleteFxRate, fxRateInput, fxRateKey, listFxRates, saveFxRate } from '@/server/services/dashboards/fx-rates';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const rateSchema = z.object({
  fromCurrency: z.string(),
  toCurrency: z.string(),
  validFrom: z.string(),
  rate: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.date(),
});

/** The dated exchange rates the dashboards convert with: read by whoever reads dashboards, kept by admins. */
export const fxRatesRouter = createTRPCRouter({
  list: permissionProcedure('dashboards.view')
    .output(z.array(rateSchema))
    .query(() => listFxRates()),

  save: permissionProcedure('governance.manage')
    .input(fxRateInput)
    .output(rateSchema)
    .mutation(({ input, ctx }) => saveFxRate(input, auditContext(ctx))),

  remove: permissionProcedure('governance.manage')
    .input(fxRateKey)
    .output(z.void())
    .mutation(({ input, ctx }) => deleteFxRate(input, auditContext(ctx))),
});
