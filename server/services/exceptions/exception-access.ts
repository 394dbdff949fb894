import type { Role } from '@/server/auth/permissions';
import type { TeamName } from '@/server/domain/routing';
import { AppError } from '@/server/errors';

/** Which teams' exceptions each role may act on; the integration team's go to admins. */
const TEAMS_BY_ROLE: Record<Role, readonly TeamName[]> = {
  admin: ['finance', 'operations', 'integration'],
  finance: ['finance'],
  operations: ['operations'],
  auditor: [],
};

export const TEAM_LABELS: Record<TeamName, string> = {
  finance: 'Finance',
  operations: 'Operations',
  integration: 'Integration (admins)',
};

/**
 * Whether this user may act on (assign, work, replay) this exception. The role's permissions
 * say whether it may act on exceptions at all; the owning team decides per exception.
 */
export function canActOn(user: { id: string; role: Role }, exception: { team: TeamName }): boolean {
  return TEAMS_BY_ROLE[user.role].includes(exception.team);
}

export function assertCanActOn(user: { id: string; role: Role }, exception: { id?: string; team: TeamName }): void {
  if (!canActOn(user, exception)) {
    throw new AppError(
      'FORBIDDEN',
      `This exception belongs to the ${TEAM_LABELS[exception.team]} team; your role cannot act on it.`,
    );
  }
}

/** Whether a user of this role may be handed an exception of this team (its members; admins any). */
export function canHold(role: Role, team: TeamName): boolean {
  return TEAMS_BY_ROLE[role].includes(team);
}
