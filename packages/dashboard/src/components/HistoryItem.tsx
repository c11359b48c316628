import type { SessionView } from '../api/types';
import { elapsedMs, formatBytes, formatDuration, formatTime, shortCommand, shortDir } from '../format';
import { ExitSummary } from './ExitSummary';
import { SessionLinks } from './SessionLinks';
import { StatusBadge } from './StatusBadge';

/** One ended session in the history list. */
export function HistoryItem({
  session,
  selected,
  onSelect,
}: {
  session: SessionView;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <li
      className={`history-item ${selected ? 'is-selected' : ''}`}
      data-testid="history-item"
      data-session-id={session.id}
      data-status={session.status}
    >
      <button type="button" onClick={() => onSelect(session.id)} aria-current={selected ? 'true' : undefined}>
        <span className="session-item-top">
          <StatusBadge status={session.status} />
          <span className="muted">{formatTime(session.startedAt)}</span>
          <span className="muted">
            {formatDuration(elapsedMs(session.startedAt, session.endedAt, Date.now()))}
          </span>
        </span>
        <span className="session-command" title={session.command}>
          {shortCommand(session.command, 46)}
        </span>
        <span className="session-dir" title={session.workingDir}>
          {shortDir(session.workingDir)} · {formatBytes(session.outputBytes)}
        </span>
        <SessionLinks session={session} />
        <ExitSummary session={session} />
      </button>
    </li>
  );
}
