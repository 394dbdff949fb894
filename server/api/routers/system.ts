import { z } from 'zod';
import { checkHealth } from '@/server/services/system/health';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  health: publicProcedure
    .output(
      z.object({
        status: z.enum(['ok', 'degraded']),
        database: z.object({ reachable: z.boolean(), latencyMs: z.number().nullable(), error: z.string().nullable() }),
        migration: z.string().nullable(),
        time: z.date(),
      }),
    )
    .query(() => checkHealth()),
});
