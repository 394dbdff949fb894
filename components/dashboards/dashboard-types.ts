import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['dashboards'];
export type StuckActivation = Outputs['stuckActivations']['items'][number];
export type SyncLagCell = Outputs['syncLag'][number];
export type UnbilledCell = Outputs['unbilledWork']['cells'][number];
export type UnbilledTrendPoint = Outputs['unbilledWork']['trend'][number];
