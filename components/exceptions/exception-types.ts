import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/api/root';

type Outputs = inferRouterOutputs<AppRouter>['exception'];
export type ExceptionView = Outputs['byId'];
export type HistoryEvent = Outputs['history'][number];
export type DryRunView = Outputs['dryRun'];
export type ReplayView = Outputs['replay'];

export const STATUS_LABEL: Record<ExceptionView['status'], string> = {
  open: 'Open',
  assigned: 'Assigned',
  in_progress: 'In progress',
  resolved: 'Resolved',
  ignored: 'Ignored',
};

export const STATUS_TONE = {
  open: 'warning',
  assigned: 'info',
  in_progress: 'info',
  resolved: 'success',
  ignored: 'neutral',
} as const;

export const PRIORITY_LABEL: Record<ExceptionView['priority'], string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};
