import type { SessionView } from '../api/types';

/**
 * The session this one resumes (a link when `onSelect` is given) and whether it is durable; renders
 * nothing for a plain session.
 */
export function SessionLinks({
  session,
  onSelect,
}: {
  session: SessionView;
  onSelect?: (id: string) => void;
}) {
  const { resumedFrom, durable } = session;
  if (resumedFrom === null && !durable) return null;
  const short = resumedFrom?.slice(0, 8);
  return (
    <span className="session-links">
      {resumedFrom !== null &&
        (onSelect === undefined ? (
          <span data-testid="resumed-from" data-session-id={resumedFrom} title={resumedFrom}>
            resumes {short}
          </span>
        ) : (
          <span>
            resumes{' '}
            <button
              type="button"
              className="link"
              data-testid="resumed-from"
              data-session-id={resumedFrom}
              title={`Open session ${resumedFrom}`}
              onClick={() => onSelect(resumedFrom)}
            >
              {short}
            </button>
          </span>
        ))}
      {durable && (
        <span className="tag" data-testid="durable" title="Held by a session host: it outlives the harness">
          durable
        </span>
      )}
    </span>
  );
}
