import type { StateConflict } from '../api/types';

/** Where ROADMAP, STATE and the files disagree, and which reading was kept and why. */
export function ConflictList({ conflicts }: { conflicts: StateConflict[] }) {
  if (conflicts.length === 0) return null;
  return (
    <div className="conflicts">
      <h3>Conflicts</h3>
      <ul>
        {conflicts.map((conflict, i) => (
          <li key={`${conflict.field}-${i}`} className="conflict" data-testid="project-conflict">
            <strong>{conflict.field}</strong>
            <dl className="facts">
              {Object.entries(conflict.sources).map(([source, value]) => (
                <div key={source}>
                  <dt>{source}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <p>
              Chose <code>{conflict.chosen}</code>: {conflict.reason}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
