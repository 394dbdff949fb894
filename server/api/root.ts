import { auditRouter } from './routers/audit';
import { dashboardsRouter } from './routers/dashboards';
import { exceptionRouter } from './routers/exception';
import { exceptionsRouter } from './routers/exceptions';
import { fxRatesRouter } from './routers/fx-rates';
import { notificationsRouter } from './routers/notifications';
import { connectionsRouter } from './routers/connections';
import { ownershipRouter } from './routers/ownership';
import { mappingsRouter } from './routers/mappings';
import { routingRouter } from './routers/routing';
import { runsRouter } from './routers/runs';
import { schedulesRouter } from './routers/schedules';
import { sessionRouter } from './routers/session';
import { systemRouter } from './routers/system';
import { traceRouter } from './routers/trace';
import { usersRouter } from './routers/users';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  users: usersRouter,
  audit: auditRouter,
  runs: runsRouter,
  system: systemRouter,
  exception: exceptionRouter,
  exceptions: exceptionsRouter,
  notifications: notificationsRouter,
  connections: connectionsRouter,
  schedules: schedulesRouter,
  trace: traceRouter,
  ownership: ownershipRouter,
  mappings: mappingsRouter,
  routing: routingRouter,
  dashboards: dashboardsRouter,
  fxRates: fxRatesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
