import type { RoutineName } from '@/server/domain/routines';
import type { RoutineDefinition } from '../routine-definition';
import { billingEligibility } from './billing-eligibility';

export const ROUTINE_DEFINITIONS: Record<RoutineName, RoutineDefinition> = {
  billing_eligibility: billingEligibility,
} as Record<RoutineName, RoutineDefinition>;
