import { auditRouter } from './routers/audit';
import { runsRouter } from './routers/runs';
import { sessionRouter } from './routers/session';
import { systemRouter } from './routers/system';
import { usersRouter } from './routers/users';
import { webhooksRouter } from './routers/webhooks';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  users: usersRouter,
  audit: auditRouter,
  runs: runsRouter,
  system: systemRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
