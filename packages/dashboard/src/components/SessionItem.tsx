import type { CheckpointView, SessionView } from '../api/types';
import { shortCommand, shortDir } from '../format';
import { Elapsed } from './Elapsed';
import { ExitSummary } from './ExitSummary';
import { SessionLinks } from './SessionLinks';
import { StatusBadge } from './StatusBadge';

interface SessionItemProps {
  session: SessionView;
  checkpoint: CheckpointView | undefined;
  selected: boolean;
  onSelect: (id: string) => void;
}

/** One session in the sidebar: status, time, how it ended, what it runs and where. */
export function SessionItem({ session, checkpoint, selected, onSelect }: SessionItemProps) {
  const waiting = session.status === 'waiting_checkpoint';
  const classes = ['session-item', waiting ? 'is-waiting' : '', selected ? 'is-selected' : ''];
  return (
    <li
      className={classes.join(' ').trim()}
      data-testid="session-item"
      data-session-id={session.id}
      data-status={session.status}
    >
      <button type="button" onClick={() => onSelect(session.id)} aria-current={selected ? 'true' : undefined}>
        <span className="session-item-top">
          <StatusBadge status={session.status} checkpointType={checkpoint?.type} />
          <Elapsed startedAt={session.startedAt} endedAt={session.endedAt} />
        </span>
        <span className="session-command" title={session.command}>
          {shortCommand(session.command, 32)}
        </span>
        <span className="session-dir" title={session.workingDir}>
          {shortDir(session.workingDir)}
        </span>
        <SessionLinks session={session} />
        <ExitSummary session={session} />
      </button>
    </li>
  );
}
