import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorMessage } from '../api/http';
import { startSession } from '../api/sessions';
import type { StartRequest } from '../api/sessions';
import type { SessionView } from '../api/types';
import { LAST_DIR_KEY, useStoredValue } from '../hooks/useStoredValue';
import { ErrorText } from './ErrorText';

type Mode = 'command' | 'prompt';

/** Starts a session: a shell command, or a GSD prompt for the agent CLI, in a directory. */
export function NewSessionForm({ onStarted }: { onStarted: (session: SessionView) => void }) {
  const [lastDir, setLastDir] = useStoredValue(LAST_DIR_KEY);
  const [workingDir, setWorkingDir] = useState(lastDir);
  const [mode, setMode] = useState<Mode>('command');
  const [command, setCommand] = useState('');
  const [prompt, setPrompt] = useState('');
  const [pty, setPty] = useState(true);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const dir = workingDir.trim();
    const text = mode === 'command' ? command.trim() : prompt.trim();
    const missing =
      dir === '' ? 'Enter the working directory.' : text === '' ? `Enter a ${mode} to run.` : null;
    if (missing !== null) {
      setError(missing);
      return;
    }
    const body: StartRequest = { workingDir: dir, pty, [mode]: text };
    setSubmitting(true);
    setError(null);
    startSession(body)
      .then((session) => {
        setLastDir(dir);
        setCommand('');
        setPrompt('');
        onStarted(session);
      })
      .catch((caught: unknown) => setError(errorMessage(caught)))
      .finally(() => setSubmitting(false));
  };

  return (
    <form className="new-session card" data-testid="new-session-form" onSubmit={submit}>
      <h2>New session</h2>
      <label className="field">
        <span>Working directory</span>
        <input
          data-testid="new-workdir"
          placeholder="/home/me/project"
          value={workingDir}
          spellCheck={false}
          onChange={(event) => setWorkingDir(event.target.value)}
        />
      </label>
      <fieldset className="mode">
        <legend>Run</legend>
        <label className="mode-choice">
          <input
            type="radio"
            name="mode"
            data-testid="new-mode-command"
            checked={mode === 'command'}
            onChange={() => setMode('command')}
          />
          Command
        </label>
        <input
          className={mode === 'command' ? '' : 'inactive'}
          data-testid="new-command"
          placeholder="npm test"
          spellCheck={false}
          value={command}
          onFocus={() => setMode('command')}
          onChange={(event) => setCommand(event.target.value)}
        />
        <label className="mode-choice">
          <input
            type="radio"
            name="mode"
            data-testid="new-mode-prompt"
            checked={mode === 'prompt'}
            onChange={() => setMode('prompt')}
          />
          GSD prompt (runs the agent CLI)
        </label>
        <textarea
          className={mode === 'prompt' ? '' : 'inactive'}
          data-testid="new-prompt"
          placeholder="/gsd:execute-phase 3"
          rows={3}
          value={prompt}
          onFocus={() => setMode('prompt')}
          onChange={(event) => setPrompt(event.target.value)}
        />
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          data-testid="new-pty"
          checked={pty}
          onChange={(event) => setPty(event.target.checked)}
        />
        Run in a terminal (PTY)
      </label>
      <div className="actions">
        <button type="submit" className="primary" data-testid="new-submit" disabled={submitting}>
          {submitting ? 'Starting…' : 'Start session'}
        </button>
      </div>
      <ErrorText error={error} testId="new-error" />
    </form>
  );
}
