import type { CheckpointView, SessionView } from '../api/types';
import { isLive } from '../api/types';
import { SessionItem } from './SessionItem';

interface SessionListProps {
  sessions: SessionView[];
  checkpoints: ReadonlyMap<string, CheckpointView>;
  selectedId: string | null;
  error: string | null;
  onSelect: (id: string) => void;
  onDismissEnded: () => void;
}

/** The sidebar: live sessions, waiting ones first, plus those that ended while the page was open. */
export function SessionList({
  sessions,
  checkpoints,
  selectedId,
  error,
  onSelect,
  onDismissEnded,
}: SessionListProps) {
  const waiting = sessions.filter((s) => s.status === 'waiting_checkpoint');
  const others = sessions.filter((s) => s.status !== 'waiting_checkpoint');
  const hasEnded = sessions.some((s) => !isLive(s));
  return (
    <nav className="sidebar" aria-label="Sessions">
      <div className="sidebar-head">
        <h2>Sessions</h2>
        {hasEnded && (
          <button type="button" className="link" onClick={onDismissEnded}>
            Clear ended
          </button>
        )}
      </div>
      {error !== null && <p className="error">{error}</p>}
      <ul className="session-list" data-testid="session-list">
        {[...waiting, ...others].map((session) => (
          <SessionItem
            key={session.id}
            session={session}
            checkpoint={checkpoints.get(session.id)}
            selected={session.id === selectedId}
            onSelect={onSelect}
          />
        ))}
      </ul>
      {sessions.length === 0 && error === null && <p className="muted">No live sessions.</p>}
    </nav>
  );
}
