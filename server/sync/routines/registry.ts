import type { RoutineName } from '@/server/domain/routines';
import type { RoutineDefinition } from '../routine-definition';
import { billingEligibility } from './billing-eligibility';
import { changeOrders } from './change-orders';
import { invoiceStatus } from './invoice-status';
import { projectActivation } from './project-activation';

export const ROUTINE_DEFINITIONS: Record<RoutineName, RoutineDefinition> = {
  billing_eligibility: billingEligibility,
  project_activation: projectActivation,
  invoice_status: invoiceStatus,
  change_orders: changeOrders,
};
