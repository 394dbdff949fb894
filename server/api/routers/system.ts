import { z } from 'zod';
import { checkHealth } from '@/server/services/system/health';
import { createTRPCRouter, permissionProcedure, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  /** For load balancers and anyone else: up or not, nothing about what is behind it. */
  health: publicProcedure
    .output(z.object({ status: z.enum(['ok', 'degraded']) }))
    .query(async () => ({ status: (await checkHealth()).status })),
  healthDetails: permissionProcedure('system.inspect')
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
