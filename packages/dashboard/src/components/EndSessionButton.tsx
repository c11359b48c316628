import { useState } from 'react';
import { errorMessage } from '../api/http';
import { endSession } from '../api/sessions';
import type { SessionView } from '../api/types';
import { shortCommand } from '../format';
import { ErrorText } from './ErrorText';

/** Terminates a session after the person confirms. */
export function EndSessionButton({
  session,
  disabled,
  onEnded,
}: {
  session: SessionView;
  disabled: boolean;
  onEnded: (session: SessionView) => void;
}) {
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const end = () => {
    if (
      !window.confirm(`End session "${shortCommand(session.command, 80)}"? Its process will be terminated.`)
    )
      return;
    setEnding(true);
    endSession(session.id)
      .then((ended) => {
        setError(null);
        onEnded(ended);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setEnding(false));
  };
  return (
    <>
      <button
        type="button"
        className="danger"
        data-testid="end-session"
        disabled={disabled || ending}
        onClick={end}
      >
        {ending ? 'Ending…' : 'End session'}
      </button>
      <ErrorText error={error} testId="end-error" />
    </>
  );
}
