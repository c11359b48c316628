import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../api/http';
import { sendInput } from '../api/sessions';
import { ErrorText } from './ErrorText';

/** Sends one line (with Enter) to a session: for pipe sessions or a quick answer without taking control. */
export function InputLine({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    sendInput(sessionId, text, true)
      .then(() => {
        setText('');
        setError(null);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setSending(false));
  };
  return (
    <form className="input-line" onSubmit={submit}>
      <input
        data-testid="input-line"
        placeholder={disabled ? 'The session has ended' : 'Send a line (Enter is added)'}
        value={text}
        disabled={disabled}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" data-testid="input-send" disabled={disabled || sending}>
        Send line
      </button>
      <ErrorText error={error} testId="input-error" />
    </form>
  );
}
