import { useState } from 'react';
import { errorMessage } from '../api/http';
import { resumeSession } from '../api/sessions';
import type { SessionView } from '../api/types';
import { ErrorText } from './ErrorText';

/** Continues an ended agent session's conversation in a new session (`--resume`). */
export function ResumeButton({
  session,
  onResumed,
}: {
  session: SessionView;
  onResumed: (session: SessionView) => void;
}) {
  const [resuming, setResuming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const resume = () => {
    setResuming(true);
    resumeSession(session.id)
      .then((resumed) => {
        setError(null);
        onResumed(resumed);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setResuming(false));
  };
  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="resume-session"
        title="Start a new session that continues this conversation"
        disabled={resuming}
        onClick={resume}
      >
        {resuming ? 'Resuming…' : 'Resume conversation'}
      </button>
      <ErrorText error={error} testId="resume-error" />
    </>
  );
}
