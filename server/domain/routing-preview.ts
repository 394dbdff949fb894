import {
  placeException,
  type ExceptionFacts,
  type PriorityName,
  type RoutingRuleInput,
  type TeamName,
} from './routing';

export interface OpenExceptionFacts extends ExceptionFacts {
  team: TeamName;
  priority: PriorityName;
}

export interface RoutingMove {
  fromTeam: TeamName;
  fromPriority: PriorityName;
  toTeam: TeamName;
  toPriority: PriorityName;
  count: number;
}

export interface RoutingPreview {
  /** Open exceptions each draft rule would place, by rule position; a rule that catches none is 0. */
  caughtByPosition: Map<number, number>;
  /** Open exceptions no draft rule catches (they would fall back). */
  unmatched: number;
  /** Where the draft would move open exceptions, largest group first; unchanged ones are left out. */
  moves: RoutingMove[];
}

/** What a draft would do to today's open exceptions, placed by the same rule matching as new ones. */
export function previewRouting(
  draft: readonly RoutingRuleInput[],
  open: readonly OpenExceptionFacts[],
): RoutingPreview {
  const caughtByPosition = new Map(draft.map((r) => [r.position, 0]));
  const moves = new Map<string, RoutingMove>();
  let unmatched = 0;
  for (const exception of open) {
    const placement = placeException(draft, exception);
    if (placement.rulePosition === null) unmatched += 1;
    else caughtByPosition.set(placement.rulePosition, (caughtByPosition.get(placement.rulePosition) ?? 0) + 1);
    if (placement.team === exception.team && placement.priority === exception.priority) continue;
    const key = `${exception.team}/${exception.priority}>${placement.team}/${placement.priority}`;
    const move = moves.get(key) ?? {
      fromTeam: exception.team,
      fromPriority: exception.priority,
      toTeam: placement.team,
      toPriority: placement.priority,
      count: 0,
    };
    move.count += 1;
    moves.set(key, move);
  }
  return { caughtByPosition, unmatched, moves: [...moves.values()].sort((a, b) => b.count - a.count) };
}
