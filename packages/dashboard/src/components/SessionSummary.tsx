import type { CheckpointView, SessionView } from '../api/types';
import { formatBytes, formatTime } from '../format';
import { Elapsed } from './Elapsed';
import { ExitSummary } from './ExitSummary';
import { SessionLinks } from './SessionLinks';
import { StatusBadge } from './StatusBadge';

/** The selected session's status line and what it runs. */
export function SessionSummary({
  session,
  checkpoint,
  onSelect,
}: {
  session: SessionView;
  checkpoint: CheckpointView | undefined;
  /** Opens another session (the one this resumes). */
  onSelect?: (id: string) => void;
}) {
  return (
    <div className="session-summary">
      <div className="session-status-line" data-testid="session-status" data-status={session.status}>
        <StatusBadge status={session.status} checkpointType={checkpoint?.type} />
        <Elapsed startedAt={session.startedAt} endedAt={session.endedAt} />
        <ExitSummary session={session} />
      </div>
      <code className="session-full-command">{session.command}</code>
      <div className="session-facts muted">
        <span title="Working directory">{session.workingDir}</span>
        <span>{session.mode}</span>
        {session.pid !== null && <span>pid {session.pid}</span>}
        {session.cols != null && session.rows != null && (
          <span>
            {session.cols}×{session.rows}
          </span>
        )}
        <span>started {formatTime(session.startedAt)}</span>
        <span>{formatBytes(session.outputBytes)} output</span>
        <SessionLinks session={session} onSelect={onSelect} />
      </div>
    </div>
  );
}
