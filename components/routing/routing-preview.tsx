import { placementLabel, type RoutingMove, type RoutingPreview } from './routing-rows';

const exceptions = (n: number) => `${n} open exception${n === 1 ? '' : 's'}`;

function movesSentence(moves: RoutingMove[]): string {
  if (moves.length === 0) return 'none move';
  return moves
    .map(
      (m) =>
        `${m.count} move${m.count === 1 ? 's' : ''} from ${placementLabel(m.fromTeam, m.fromPriority)} to ${placementLabel(m.toTeam, m.toPriority)}`,
    )
    .join(', ');
}

/**
 * How the draft would place today's open exceptions, rule by rule: how many each would catch and
 * which would move from the team and priority they have now. Rules that catch none are left out.
 */
export function RoutingPreviewSummary({ preview }: { preview: RoutingPreview }) {
  const catching = preview.rules.filter((r) => r.caught > 0);
  return (
    <section aria-label="Preview" className="space-y-2">
      <h3 className="text-sm font-semibold">Preview against {exceptions(preview.open)}</h3>
      {preview.open === 0 ? (
        <p className="text-sm text-slate-600">There are no open exceptions to place.</p>
      ) : (
        <ul className="list-disc space-y-1 pl-5 text-sm" aria-label="What each rule would catch">
          {catching.map((r) => (
            <li key={r.position}>
              Rule {r.position} would catch {exceptions(r.caught)}; {movesSentence(r.moves)}.
            </li>
          ))}
          {preview.unmatched > 0 ? (
            <li>
              No rule would catch {exceptions(preview.unmatched)}: they would take the fallback (Integration/normal, due
              in 72 hours); {movesSentence(preview.unmatchedMoves)}.
            </li>
          ) : null}
        </ul>
      )}
      {preview.open > 0 ? (
        <p className="text-sm text-slate-600">
          {preview.moves.length === 0
            ? 'No open exception would change team or priority.'
            : `In all, ${preview.moves.reduce((n, m) => n + m.count, 0)} of ${exceptions(preview.open)} would change team or priority. Publishing places new exceptions only; open ones keep their team and priority.`}
        </p>
      ) : null}
    </section>
  );
}
