import { z } from 'zod';
import { SYSTEMS } from '@/server/domain/canonical/canonical-record';
import { createConnection, updateConnection } from '@/server/services/connections/edit-connection';
import { listConnections } from '@/server/services/connections/list-connections';
import { listLegalEntities } from '@/server/services/connections/list-legal-entities';
import { testConnection } from '@/server/services/connections/test-connection';
import { routineNameSchema } from '@/server/services/runs/run-schemas';
import { auditContext } from '../audit-context';
import { createTRPCRouter, permissionProcedure } from '../trpc';

const systemSchema = z.enum(SYSTEMS);

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  system: systemSchema,
  baseUrl: z.string(),
  enabled: z.boolean(),
  legalEntityIds: z.array(z.string()),
  routines: z.array(z.object({ routine: routineNameSchema, label: z.string(), reads: z.boolean() })),
  credentials: z.record(z.string(), z.string()).nullable(),
  health: z.object({
    lastSuccessAt: z.date().nullable(),
    lastErrorAt: z.date().nullable(),
    lastError: z.string().nullable(),
    rateLimit: z.object({ used: z.number(), limit: z.number() }).nullable(),
  }),
});

const changeSchema = z.object({
  name: z.string().trim().min(1, 'Give the connection a name.').max(100),
  baseUrl: z.string().trim().max(500),
  legalEntityIds: z.array(z.string().max(20)).max(50),
  enabled: z.boolean(),
  // Write-only: never part of any output.
  credentials: z.record(z.string().max(100), z.string().max(4000)),
});

export const connectionsRouter = createTRPCRouter({
  list: permissionProcedure('runs.view')
    .output(
      z.object({
        connections: z.array(connectionSchema),
        legalEntities: z.array(z.object({ id: z.string(), name: z.string() })),
      }),
    )
    .query(async () => ({ connections: await listConnections(), legalEntities: await listLegalEntities() })),

  create: permissionProcedure('governance.manage')
    .input(changeSchema.extend({ system: systemSchema }))
    .output(z.object({ id: z.string() }))
    .mutation(({ input, ctx }) => createConnection(input, auditContext(ctx))),

  update: permissionProcedure('governance.manage')
    .input(changeSchema.extend({ id: z.string().uuid() }))
    .output(z.object({ id: z.string() }))
    .mutation(({ input: { id, ...change }, ctx }) => updateConnection(id, change, auditContext(ctx))),

  test: permissionProcedure('governance.manage')
    .input(z.object({ id: z.string().uuid() }))
    .output(z.object({ ok: z.boolean(), message: z.string(), durationMs: z.number() }))
    .mutation(({ input, ctx }) => testConnection(input.id, auditContext(ctx))),
});
