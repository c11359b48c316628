import { useEffect, useState } from 'react';
import { errorMessage } from '../api/http';
import { getSession } from '../api/sessions';
import type { HarnessSocket } from '../api/socket';
import { isLive, isResumable } from '../api/types';
import type { CheckpointView, SessionView } from '../api/types';
import { CheckpointPanel } from './CheckpointPanel';
import { EndSessionButton } from './EndSessionButton';
import { ErrorText } from './ErrorText';
import { InputLine } from './InputLine';
import { LiveTerminal } from './LiveTerminal';
import { ResumeButton } from './ResumeButton';
import { SessionSummary } from './SessionSummary';

interface SessionPanelProps {
  socket: HarnessSocket;
  sessionId: string;
  session: SessionView | undefined;
  checkpoint: CheckpointView | undefined;
  onUpdate: (session: SessionView) => void;
  /** Opens another session (the one this resumes). */
  onSelect: (id: string) => void;
  /** A new session continues this one's conversation. */
  onResumed: (session: SessionView) => void;
}

/** One session: status, its checkpoint while it waits, the live terminal, and ways to answer or end it. */
export function SessionPanel({
  socket,
  sessionId,
  session,
  checkpoint,
  onUpdate,
  onSelect,
  onResumed,
}: SessionPanelProps) {
  const [control, setControl] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  // A session opened by its URL may not be in the live list yet: fetch it once.
  const known = session !== undefined;
  useEffect(() => {
    if (known) return;
    let current = true;
    getSession(sessionId)
      .then((found) => current && onUpdate(found))
      .catch((caught: unknown) => current && setLoadError(errorMessage(caught)));
    return () => {
      current = false;
    };
  }, [sessionId, known, onUpdate]);

  if (session === undefined) {
    return (
      <section className="session-view" data-testid="session-view" data-session-id={sessionId}>
        {loadError === null ? <p className="muted">Loading session…</p> : <ErrorText error={loadError} />}
      </section>
    );
  }

  const live = isLive(session);
  const canControl = live && session.mode === 'pty';
  const inControl = control && canControl;
  const waiting = session.status === 'waiting_checkpoint';

  return (
    <section
      className="session-view"
      data-testid="session-view"
      data-session-id={session.id}
      data-status={session.status}
    >
      <SessionSummary session={session} checkpoint={checkpoint} onSelect={onSelect} />
      {waiting && (
        <CheckpointPanel key={checkpoint?.id ?? 'none'} sessionId={session.id} checkpoint={checkpoint} />
      )}
      <div className="toolbar">
        <label
          className={`toggle ${canControl ? '' : 'is-disabled'}`}
          title="Type into the session and fit it to this panel"
        >
          <input
            type="checkbox"
            data-testid="take-control"
            checked={inControl}
            disabled={!canControl}
            onChange={(event) => setControl(event.target.checked)}
          />
          Take control
        </label>
        {inControl && <span className="muted">Keystrokes go to the session.</span>}
        <span className="spacer" />
        {isResumable(session) && <ResumeButton session={session} onResumed={onResumed} />}
        <EndSessionButton session={session} disabled={!live} onEnded={onUpdate} />
      </div>
      <LiveTerminal key={session.id} socket={socket} session={session} control={inControl} />
      <InputLine sessionId={session.id} disabled={!live} />
    </section>
  );
}
