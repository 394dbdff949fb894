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
  /** How many open exceptions share these facts (a grouped read); one when unset. */
  count?: number;
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
  /** The same moves per deciding rule position (null: the fallback), largest group first. */
  movesByPosition: Map<number | null, RoutingMove[]>;
}

/** What a draft would do to today's open exceptions, placed by the same rule matching as new ones. */
export function previewRouting(
  draft: readonly RoutingRuleInput[],
  open: readonly OpenExceptionFacts[],
): RoutingPreview {
  const caughtByPosition = new Map(draft.map((r) => [r.position, 0]));
  const moves = new Map<string, RoutingMove>();
  const ruleMoves = new Map<string, RoutingMove & { position: number | null }>();
  let unmatched = 0;
  const add = <M extends RoutingMove>(groups: Map<string, M>, key: string, fresh: () => M, n: number) => {
    const move = groups.get(key) ?? fresh();
    move.count += n;
    groups.set(key, move);
  };
  for (const exception of open) {
    const n = exception.count ?? 1;
    const placement = placeException(draft, exception);
    if (placement.rulePosition === null) unmatched += n;
    else caughtByPosition.set(placement.rulePosition, (caughtByPosition.get(placement.rulePosition) ?? 0) + n);
    if (placement.team === exception.team && placement.priority === exception.priority) continue;
    const key = `${exception.team}/${exception.priority}>${placement.team}/${placement.priority}`;
    const fresh = () => ({
      fromTeam: exception.team,
      fromPriority: exception.priority,
      toTeam: placement.team,
      toPriority: placement.priority,
      count: 0,
    });
    add(moves, key, fresh, n);
    add(ruleMoves, `${placement.rulePosition}:${key}`, () => ({ ...fresh(), position: placement.rulePosition }), n);
  }
  const movesByPosition = new Map<number | null, RoutingMove[]>();
  for (const { position, ...move } of [...ruleMoves.values()].sort((a, b) => b.count - a.count)) {
    movesByPosition.set(position, [...(movesByPosition.get(position) ?? []), move]);
  }
  return {
    caughtByPosition,
    unmatched,
    moves: [...moves.values()].sort((a, b) => b.count - a.count),
    movesByPosition,
  };
}
