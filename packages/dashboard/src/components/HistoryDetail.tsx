import { isResumable, type SessionView } from '../api/types';
import { elapsedMs, formatBytes, formatDuration, formatTime } from '../format';
import { HistoryOutput } from './HistoryOutput';
import { ResumeButton } from './ResumeButton';
import { SessionLinks } from './SessionLinks';
import { StatusBadge } from './StatusBadge';

/** An ended session's facts and its recorded output. */
export function HistoryDetail({
  session,
  onSelect,
  onResumed,
}: {
  session: SessionView;
  /** Opens another session (the one this resumes). */
  onSelect: (id: string) => void;
  onResumed: (session: SessionView) => void;
}) {
  const facts: [string, string][] = [
    ['Directory', session.workingDir],
    ['Mode', session.mode],
    ['Started', formatTime(session.startedAt)],
    ['Ended', session.endedAt === null ? '—' : formatTime(session.endedAt)],
    ['Duration', formatDuration(elapsedMs(session.startedAt, session.endedAt, Date.now()))],
    ['Exit code', session.exitCode === null ? '—' : String(session.exitCode)],
    ['Signal', session.signal ?? '—'],
    ['Output', formatBytes(session.outputBytes)],
    ['Id', session.id],
  ];
  return (
    <section className="history-detail" data-testid="history-detail" data-session-id={session.id}>
      <div className="session-status-line">
        <StatusBadge status={session.status} />
        {session.failureReason !== null && <span className="reason">{session.failureReason}</span>}
        <SessionLinks session={session} onSelect={onSelect} />
        <span className="spacer" />
        {isResumable(session) && <ResumeButton session={session} onResumed={onResumed} />}
      </div>
      <code className="session-full-command">{session.command}</code>
      <dl className="facts">
        {facts.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <HistoryOutput key={session.id} session={session} />
    </section>
  );
}
